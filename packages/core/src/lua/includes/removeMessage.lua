--@include fifoGroups
-- Removes every trace of one message from its queue's structures (q from
-- messageKeys). Returns its FIFO group, whose delivery time the caller
-- refreshes, or nil.
local function removeMessage(q, id)
  local group = leaveOrder(q, id)
  redis.call('HDEL', q.members, id)
  redis.call('HDEL', q.messages, id)
  redis.call('HDEL', q.receipts, id)
  redis.call('ZREM', q.schedule, id)
  redis.call('ZREM', q.delayed, id)
  redis.call('ZREM', q.sent, id)
  redis.call('HDEL', q.outbox, id)
  return group
end
