--@include removeMessage
-- Drops up to `limit` messages first sent before `cutoff` (ms).
-- Returns how many it dropped.
local function expireOld(q, cutoff, limit, now)
  local ids = redis.call('ZRANGEBYSCORE', q.sent, '-inf', '(' .. cutoff, 'LIMIT', 0, limit)
  local groups = {}
  for _, id in ipairs(ids) do
    local group = removeMessage(q, id)
    if group then
      groups[group] = true
    end
  end
  refreshGroups(q, groups, now)
  return #ids
end
