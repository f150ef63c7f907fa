--@include removeMessage
-- Drops up to `limit` messages older than the queue's MessageRetentionPeriod.
-- Returns how many it dropped.
local function expireOld(metaKey, messagesKey, receiptsKey, scheduleKey, delayedKey, sentKey, outboxKey, now, limit)
  local retention = tonumber(redis.call('HGET', metaKey, 'MessageRetentionPeriod'))
  if not retention then
    return 0
  end
  local cutoff = now - retention * 1000
  local ids = redis.call('ZRANGEBYSCORE', sentKey, '-inf', '(' .. cutoff, 'LIMIT', 0, limit)
  for _, id in ipairs(ids) do
    removeMessage(messagesKey, receiptsKey, scheduleKey, delayedKey, sentKey, outboxKey, id)
  end
  return #ids
end
