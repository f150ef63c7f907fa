--@include receipts
--@include fifoGroups
-- Sets a new visibility timeout, counted from now, for messages in flight. On
-- a FIFO queue the message's group then may deliver sooner or later.
-- KEYS[1] meta  KEYS[2] receipts  KEYS[3] schedule  KEYS[4] groups
-- KEYS[5] order  KEYS[6] members
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3] longest total visibility per receive (ms)
-- ARGV[4] "fifo" or "standard"
-- ARGV[5..] message id, receive count, timeout seconds triples
-- Returns {"ok", status per triple} | {"QueueDoesNotExist"}; a status is
-- "ok", "gone" (deleted or never there), "expired" (a newer receive exists),
-- "notInFlight" or "tooLong" (beyond the limit since that receive)
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local q = { receipts = KEYS[2], schedule = KEYS[3], groups = KEYS[4], order = KEYS[5], members = KEYS[6] }
local fifo = ARGV[4] == 'fifo'
local now = tonumber(ARGV[1])
local limit = tonumber(ARGV[3])
local reply = {'ok'}
local woken, earliest = 0, nil
local groups = {}
for i = 5, #ARGV, 3 do
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
    local visibleAt = now + timeout * 1000
    redis.call('ZADD', KEYS[3], visibleAt, id)
    if fifo then
      local member = redis.call('HGET', q.members, id)
      if member then
        groups[splitMember(member)] = true
      end
    elseif timeout == 0 then
      woken = woken + 1
    elseif not earliest or visibleAt < earliest then
      earliest = visibleAt
    end
  end
  reply[#reply + 1] = status
end
if fifo then
  woken, earliest = refreshGroups(q, groups, now)
end
if woken > 0 then
  redis.call('PUBLISH', ARGV[2], woken)
end
if earliest then
  redis.call('PUBLISH', ARGV[2], 't:' .. string.format('%d', earliest))
end
return reply
