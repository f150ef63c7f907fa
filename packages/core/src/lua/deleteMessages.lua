--@include receipts
--@include removeMessage
-- Deletes messages by receipt: only the newest receipt of a message that is
-- still in the queue deletes it; a stale or repeated delete succeeds without
-- effect, as in SQS.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] delayed  KEYS[6] sent  KEYS[7] outbox  KEYS[8] stats
-- ARGV[1..] message id, receive count pairs
-- Returns {"ok", 1 (deleted) or 0 (nothing to delete) per pair} | {"QueueDoesNotExist"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local reply = {'ok'}
local deleted = 0
for i = 1, #ARGV, 2 do
  local id = ARGV[i]
  local count = readReceipt(KEYS[3], id)
  if count == tonumber(ARGV[i + 1]) and redis.call('ZSCORE', KEYS[4], id) then
    removeMessage(KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], id)
    deleted = deleted + 1
    reply[#reply + 1] = 1
  else
    reply[#reply + 1] = 0
  end
end
if deleted > 0 then
  redis.call('HINCRBY', KEYS[8], 'deleted', deleted)
end
return reply
