--@include fifoGroups
-- Deletes messages by receipt: only the newest receipt of a message that is
-- still in the queue deletes it; a stale or repeated delete succeeds without
-- effect, as in SQS. On a FIFO queue a receipt also ends with its visibility,
-- and SQS refuses it then: a consumer whose time ran out must not delete a
-- message of a group another consumer may hold by now. A FIFO delete may
-- unlock the message's group.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] sent  KEYS[6] stats  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order
-- KEYS[10] members
-- ARGV[1] now (ms)
-- ARGV[2] "fifo" or "standard"
-- ARGV[3] wake channel
-- ARGV[4..] message id, receive count pairs
-- Returns {"ok", per pair 1 (deleted), 0 (nothing to delete) or 2 (FIFO: the
--          receipt's visibility ended)} | {"QueueDoesNotExist"}
--
-- A message with a receipt has been received, so its `delayed` entry, if any,
-- lies in the past (sends prune those): the delete leaves it alone.
local q = {
  receipts = KEYS[3], schedule = KEYS[4], groups = KEYS[8], order = KEYS[9], members = KEYS[10],
}
local ids = {}
for i = 4, #ARGV, 2 do
  ids[#ids + 1] = ARGV[i]
end
local receipts = redis.call('HMGET', KEYS[3], unpack(ids))
-- A message parked in the outbox keeps its receipt but is no longer the
-- receiver's to delete. The outbox is nearly always empty: check it only then.
local parked = {}
if redis.call('HLEN', KEYS[7]) > 0 then
  parked = redis.call('HMGET', KEYS[7], unpack(ids))
end
local expired = {}
if ARGV[2] == 'fifo' then
  local now = tonumber(ARGV[1])
  local scores = redis.call('ZMSCORE', KEYS[4], unpack(ids))
  for n = 1, #ids do
    expired[n] = not (tonumber(scores[n]) and tonumber(scores[n]) > now)
  end
end
local reply = {'ok'}
local doomed, seen = {}, {}
for n, id in ipairs(ids) do
  local raw = receipts[n]
  local count = raw and string.match(raw, '^(%d+):')
  if count == ARGV[3 + 2 * n] and expired[n] then
    reply[#reply + 1] = 2
  elseif count == ARGV[3 + 2 * n] and not parked[n] then
    if not seen[id] then
      seen[id] = true
      doomed[#doomed + 1] = id
    end
    reply[#reply + 1] = 1
  else
    reply[#reply + 1] = 0
  end
end
-- Only a delete that found nothing pays for the existence check.
if #doomed == 0 and redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
if #doomed > 0 then
  local groups = {}
  if ARGV[2] == 'fifo' then
    local members, leaving = redis.call('HMGET', KEYS[10], unpack(doomed)), {}
    for n = 1, #doomed do
      if members[n] then
        leaving[#leaving + 1] = members[n]
        groups[splitMember(members[n])] = true
      end
    end
    if #leaving > 0 then
      redis.call('ZREM', KEYS[9], unpack(leaving))
    end
    redis.call('HDEL', KEYS[10], unpack(doomed))
  end
  redis.call('HDEL', KEYS[2], unpack(doomed))
  redis.call('HDEL', KEYS[3], unpack(doomed))
  redis.call('ZREM', KEYS[4], unpack(doomed))
  redis.call('ZREM', KEYS[5], unpack(doomed))
  redis.call('HINCRBY', KEYS[6], 'deleted', #doomed)
  local ready = refreshGroups(q, groups, tonumber(ARGV[1]))
  if ready > 0 then
    redis.call('PUBLISH', ARGV[3], ready)
  end
end
return reply
