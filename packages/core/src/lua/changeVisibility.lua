--@include receipts
-- Sets a new visibility timeout, counted from now, for messages in flight.
-- KEYS[1] meta  KEYS[2] receipts  KEYS[3] schedule
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3] longest total visibility per receive (ms)
-- ARGV[4..] message id, receive count, timeout seconds triples
-- Returns {"ok", status per triple} | {"QueueDoesNotExist"}; a status is
-- "ok", "gone" (deleted or never there), "expired" (a newer receive exists),
-- "notInFlight" or "tooLong" (beyond the limit since that receive)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local reply = {'ok'}
local woken, earliest = 0, nil
for i = 4, #ARGV, 3 do
  local id, given, timeout = ARGV[i], tonumber(ARGV[i + 1]), tonumber(ARGV[i + 2])
  local score = redis.call('ZSCORE', KEYS[3], id)
  local count, _, last = readReceipt(KEYS[2], id)
  local status = 'ok'
  if not score or count == 0 then
    status = 'gone'
  elseif count ~= given then
    status = 'expired'
  elseif tonumber(score) <= now then
    status = 'notInFlight'
  elseif now + timeout * 1000 - last > limit then
    status = 'tooLong'
  else
    redis.call('ZADD', KEYS[3], now + timeout * 1000, id)
    if timeout == 0 then
      woken = woken + 1
    elseif not earliest or timeout < earliest then
      earliest = timeout
    end
  end
  reply[#reply + 1] = status
end
if woken > 0 then
  redis.call('PUBLISH', ARGV[2], woken)
end
if earliest then
  redis.call('PUBLISH', ARGV[2], 't:' .. string.format('%d', now + earliest * 1000))
end
return reply
