--@include removeMessage
-- Drops up to `limit` messages first sent before `cutoff` (ms).
-- Returns how many it dropped.
local function expireOld(messagesKey, receiptsKey, scheduleKey, delayedKey, sentKey, outboxKey, cutoff, limit)
  local ids = redis.call('ZRANGEBYSCORE', sentKey, '-inf', '(' .. cutoff, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    removeMessage(messagesKey, receiptsKey, scheduleKey, delayedKey, sentKey, outboxKey, id)
  end
  return #ids
end
