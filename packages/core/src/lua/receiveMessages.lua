--@include receipts
--@include expireOld
-- Takes up to N visible messages, hides each for the visibility timeout and
-- counts the receive. A message already received maxReceiveCount times is not
-- delivered but parked in the outbox for its dead-letter queue, which lives in
-- another slot: the engine finishes that move in durable steps.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule
-- KEYS[5] delayed  KEYS[6] sent  KEYS[7] outbox  KEYS[8] stats
-- ARGV[1] now (ms)
-- ARGV[2] maximum number of messages
-- ARGV[3] visibility timeout seconds ("" = the queue's)
-- ARGV[4] count an empty result as an empty receive: "yes", "no", or "auto"
--         (yes when the queue's ReceiveMessageWaitTimeSeconds is 0)
-- ARGV[5] most messages that may be in flight at once
-- Returns {"ok", queue wait seconds, next visible ms or "", moved count,
--          moved ids..., then id, payload, receive count, first receive ms per message}
--       | {"QueueDoesNotExist"} | {"OverLimit"}
local meta = redis.call('HMGET', KEYS[1], 'VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds', 'redrive_target', 'redrive_max')
if not meta[1] then
  return {'QueueDoesNotExist'}
end
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local visibility = tonumber(ARGV[3]) or tonumber(meta[1])
local target = meta[3]
local maxReceives = tonumber(meta[4])

expireOld(KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7], now, 100)

local inFlight = redis.call('ZCOUNT', KEYS[4], '(' .. now, '+inf') - redis.call('ZCOUNT', KEYS[5], '(' .. now, '+inf')
if inFlight >= tonumber(ARGV[5]) then
  return {'OverLimit'}
end

local hiddenUntil = now + visibility * 1000
local delivered = {}
local moved = {}
local seen = {}
-- With a visibility timeout of 0 a delivered message stays visible; `seen`
-- keeps it from being taken twice when the loop fetches again.
local stillVisible = 0
local rounds = 0
while #delivered / 4 < max and rounds < 10 do
  rounds = rounds + 1
  local want = max - #delivered / 4
  local ids = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', now, 'LIMIT', 0, want + stillVisible)
  local fresh = 0
  for _, id in ipairs(ids) do
    if not seen[id] and #delivered / 4 < max then
      seen[id] = true
      fresh = fresh + 1
      local count, first = readReceipt(KEYS[3], id)
      local payload = redis.call('HGET', KEYS[2], id)
      if not payload then
        redis.call('ZREM', KEYS[4], id)
      elseif target and maxReceives and count >= maxReceives then
        redis.call('ZREM', KEYS[4], id)
        redis.call('HSET', KEYS[7], id, 'dlq:' .. target)
        moved[#moved + 1] = id
      else
        count = count + 1
        if first == 0 then
          first = now
        end
        redis.call('HSET', KEYS[3], id, count .. ':' .. first .. ':' .. now)
        redis.call('ZADD', KEYS[4], hiddenUntil, id)
        if visibility == 0 then
          stillVisible = stillVisible + 1
        end
        delivered[#delivered + 1] = id
        delivered[#delivered + 1] = payload
        delivered[#delivered + 1] = count
        delivered[#delivered + 1] = first
      end
    end
  end
  if fresh == 0 or #moved == 0 then
    break
  end
end

local received = #delivered / 4
if received > 0 then
  redis.call('HINCRBY', KEYS[8], 'received', received)
elseif ARGV[4] == 'yes' or (ARGV[4] == 'auto' and (tonumber(meta[2]) or 0) == 0) then
  redis.call('HINCRBY', KEYS[8], 'empty_receives', 1)
end

local nextVisible = ''
if received == 0 then
  local upcoming = redis.call('ZRANGEBYSCORE', KEYS[4], '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  nextVisible = upcoming[2] or ''
end

local reply = {'ok', tonumber(meta[2]) or 0, nextVisible, #moved}
for _, id in ipairs(moved) do
  reply[#reply + 1] = id
end
for _, value in ipairs(delivered) do
  reply[#reply + 1] = value
end
return reply
