--@include expireOld
--@include messageKeys
--@include delivery
-- Takes up to N visible messages, hides each for the visibility timeout and
-- counts the receive. A message already received maxReceiveCount times is not
-- delivered but parked in the outbox for its dead-letter queue, which lives in
-- another slot: the engine finishes that move in durable steps.
-- KEYS[1] meta
-- KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule  KEYS[5] delayed
-- KEYS[6] sent  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order  KEYS[10] members
-- KEYS[11] stats
-- ARGV[1] now (ms)
-- ARGV[2] maximum number of messages
-- ARGV[3] visibility timeout seconds ("" = the queue's)
-- ARGV[4] count an empty result as an empty receive: "yes", "no", or "auto"
--         (yes when the queue's ReceiveMessageWaitTimeSeconds is 0)
-- ARGV[5] most messages that may be in flight at once
-- Returns {"ok", queue wait seconds, next visible ms or "", moved count,
--          moved ids..., then id, payload, receive count, first receive ms per message}
--       | {"QueueDoesNotExist"} | {"OverLimit"}
local meta = redis.call('HMGET', KEYS[1], 'VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds', 'redrive_target', 'redrive_max', 'MessageRetentionPeriod')
if not meta[1] then
  return {'QueueDoesNotExist'}
end
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local visibility = tonumber(ARGV[3]) or tonumber(meta[1])
local waitSeconds = tonumber(meta[2]) or 0
local target = meta[3]
local maxReceives = tonumber(meta[4])
local inFlightLimit = tonumber(ARGV[5])

expireOld(messageKeys(2), now - tonumber(meta[5]) * 1000, 100, now)

-- Everything in flight is in `schedule`, so a smaller schedule needs no count.
if redis.call('ZCARD', KEYS[4]) >= inFlightLimit then
  local inFlight = redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf') - redis.call('ZCOUNT', KEYS[5], '(' .. now, '+inf')
  if inFlight >= inFlightLimit then
    return {'OverLimit'}
  end
end

local d = newDelivery(ARGV[1], string.format('%d', now + visibility * 1000))
local moved, seen, park = {}, {}, {}
-- Delivered messages are hidden only after the loop, so a second fetch (after
-- parking some) meets them again: fetch that many more and skip the `seen`.
for _ = 1, 10 do
  local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, max + d.count)
  local fresh = {}
  for _, id in ipairs(ids) do
    if not seen[id] then
      seen[id] = true
      fresh[#fresh + 1] = id
    end
  end
  if #fresh == 0 then
    break
  end
  local states = redis.call('HMGET', KEYS[3], unpack(fresh))
  local payloads = redis.call('HMGET', KEYS[2], unpack(fresh))
  local movedNow = 0
  for n, id in ipairs(fresh) do
    local count, first = receiveState(d, states[n])
    if d.count >= max then
      break
    elseif not payloads[n] then
      redis.call('ZREM', KEYS[4], id)
    elseif target and maxReceives and count >= maxReceives then
      park[#park + 1] = id
      park[#park + 1] = 'dlq:' .. target
      moved[#moved + 1] = id
      movedNow = movedNow + 1
    else
      handOut(d, id, payloads[n], count, first)
    end
  end
  if #park > 0 then
    -- Parked before the next fetch, so it does not meet them again.
    redis.call('ZREM', KEYS[4], unpack(moved, #moved - movedNow + 1))
    redis.call('HSET', KEYS[7], unpack(park))
    park = {}
  end
  if d.count >= max or movedNow == 0 then
    break
  end
end

commitDelivery(d, KEYS[3], KEYS[4], KEYS[11], ARGV[4] == 'yes' or (ARGV[4] == 'auto' and waitSeconds == 0))

local nextVisible = ''
if d.count == 0 then
  local upcoming = redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  nextVisible = upcoming[2] or ''
end

local reply = {'ok', waitSeconds, nextVisible, #moved}
for _, id in ipairs(moved) do
  reply[#reply + 1] = id
end
for _, value in ipairs(d.fields) do
  reply[#reply + 1] = value
end
return reply
