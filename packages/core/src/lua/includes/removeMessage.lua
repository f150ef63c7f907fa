-- Removes every trace of one message from its queue's structures.
local function removeMessage(messagesKey, receiptsKey, scheduleKey, delayedKey, sentKey, outboxKey, id)
  redis.call('HDEL', messagesKey, id)
  redis.call('HDEL', receiptsKey, id)
  redis.call('ZREM', scheduleKey, id)
  redis.call('ZREM', delayedKey, id)
  redis.call('ZREM', sentKey, id)
  redis.call('HDEL', outboxKey, id)
end
