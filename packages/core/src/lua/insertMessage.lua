--@include fifoGroups
-- Step 2 of a move between queues: adds a message, keeping its id, unless the
-- destination already has it (the step may repeat). A standard queue keeps
-- its first sent time for retention; a FIFO queue appends it to the end of
-- its group under a new sequence number and starts its retention anew, as
-- SQS does for FIFO dead-letter queues.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] schedule  KEYS[4] sent
-- KEYS[5] groups  KEYS[6] order  KEYS[7] members
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3] message id
-- ARGV[4] payload
-- ARGV[5] first sent (ms)
-- ARGV[6] message group id ("" = none)
-- Returns {"ok", 1 inserted | 0 already there} | {"QueueDoesNotExist"}
local fifo = redis.call('HGET', KEYS[1], 'FifoQueue')
if not fifo and redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local id, group = ARGV[3], ARGV[6]
if redis.call('HSETNX', KEYS[2], id, ARGV[4]) == 0 then
  return {'ok', 0}
end
redis.call('ZADD', KEYS[3], ARGV[1], id)
if fifo == 'true' and group ~= '' then
  local member = newMember(KEYS[1], group, id)
  redis.call('ZADD', KEYS[6], 0, member)
  redis.call('HSET', KEYS[7], id, member)
  redis.call('ZADD', KEYS[5], 'NX', ARGV[1], group)
  redis.call('ZADD', KEYS[4], ARGV[1], id)
else
  redis.call('ZADD', KEYS[4], ARGV[5], id)
end
redis.call('PUBLISH', ARGV[2], 1)
return {'ok', 1}
