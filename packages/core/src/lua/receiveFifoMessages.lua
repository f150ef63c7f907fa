--@include expireOld
--@include messageKeys
--@include delivery
-- Receives from a FIFO queue: takes groups that may deliver, oldest first,
-- and from each as many messages as it can from its head, in order; the
-- group then delivers nothing more until none of them is in flight. A head
-- already received maxReceiveCount times is parked for its dead-letter queue
-- and the group goes on with the next message. A retry carrying a
-- ReceiveRequestAttemptId seen within the window gets the same messages and
-- receipts again, their visibility reset, unless one of them was deleted,
-- received again or had its visibility changed since.
-- KEYS[1] meta
-- KEYS[2] messages  KEYS[3] receipts  KEYS[4] schedule  KEYS[5] delayed
-- KEYS[6] sent  KEYS[7] outbox  KEYS[8] groups  KEYS[9] order  KEYS[10] members
-- KEYS[11] stats  KEYS[12] attempts  KEYS[13] attempt-expiry
-- ARGV[1] now (ms)
-- ARGV[2] maximum number of messages
-- ARGV[3] visibility timeout seconds ("" = the queue's)
-- ARGV[4] count an empty result as an empty receive: "yes", "no", or "auto"
--         (yes when the queue's ReceiveMessageWaitTimeSeconds is 0)
-- ARGV[5] most messages that may be in flight at once
-- ARGV[6] ReceiveRequestAttemptId, or ""
-- ARGV[7] ReceiveRequestAttemptId window (ms)
-- Returns {"ok", queue wait seconds, next deliverable ms or "", moved count,
--          moved ids..., then id, payload, receive count, first receive ms,
--          sequence number per message}
--       | {"QueueDoesNotExist"} | {"AttemptNotRetryable"}
local meta = redis.call('HMGET', KEYS[1], 'VisibilityTimeout', 'ReceiveMessageWaitTimeSeconds', 'redrive_target', 'redrive_max', 'MessageRetentionPeriod')
if not meta[1] then
  return {'QueueDoesNotExist'}
end
local q = messageKeys(2)
local now = tonumber(ARGV[1])
local max = tonumber(ARGV[2])
local visibility = tonumber(ARGV[3]) or tonumber(meta[1])
local waitSeconds = tonumber(meta[2]) or 0
local target = meta[3]
local maxReceives = tonumber(meta[4])
local attemptId = ARGV[6]
local hiddenUntil = now + visibility * 1000

expireOld(q, now - tonumber(meta[5]) * 1000, 100, now)

local hiddenText = string.format('%d', hiddenUntil)
local d = newDelivery(ARGV[1], hiddenText)
local reply = {'ok', waitSeconds, '', 0}
local function finish()
  for _, value in ipairs(d.fields) do
    reply[#reply + 1] = value
  end
  return reply
end

-- A retried receive: the attempt's record is "<visible at> <id>:<count> ...".
if attemptId ~= '' then
  local stale = redis.call('ZRANGEBYSCORE', KEYS[13], '-inf', now, 'LIMIT', 0, 100)
  if #stale > 0 then
    redis.call('HDEL', KEYS[12], unpack(stale))
    redis.call('ZREM', KEYS[13], unpack(stale))
  end
  local cached = redis.call('HGET', KEYS[12], attemptId)
  if cached then
    local hiddenThen = tonumber(string.match(cached, '^(%d+)'))
    local again = {}
    for id, count in string.gmatch(cached, '(%S+):(%d+)') do
      local state = redis.call('HGET', q.receipts, id)
      local score = tonumber(redis.call('ZSCORE', q.schedule, id))
      local member = redis.call('HGET', q.members, id)
      local c, first = string.match(state or '', '^(%d+):(%d+):')
      if c ~= count or not member or score ~= hiddenThen then
        return {'AttemptNotRetryable'}
      end
      again[#again + 1] = {id, count, first, member}
    end
    local groups = {}
    for _, m in ipairs(again) do
      redis.call('ZADD', q.schedule, hiddenText, m[1])
      local group, sequence = splitMember(m[4])
      groups[group] = true
      echo(d, m[1], redis.call('HGET', q.messages, m[1]), m[2], m[3], sequence)
    end
    for group in pairs(groups) do
      redis.call('ZADD', q.groups, 'GT', hiddenText, group)
    end
    redis.call('HSET', KEYS[12], attemptId, (string.gsub(cached, '^%d+', hiddenText)))
    return finish()
  end
end

-- SQS answers a FIFO queue at its in-flight limit with no messages.
if redis.call('ZCARD', q.schedule) >= tonumber(ARGV[5]) then
  local inFlight = redis.call('ZCOUNT', q.schedule, '(' .. now, '+inf') - redis.call('ZCOUNT', q.delayed, '(' .. now, '+inf')
  if inFlight >= tonumber(ARGV[5]) then
    return reply
  end
end

local moved, taken = {}, {}

-- Delivers from one group's head, in order, up to the first message that is
-- delayed or in flight; returns how many it delivered.
local function takeFromGroup(group)
  local fromGroup = 0
  while d.count < max do
    -- Messages handed out stay first in the group until the receive ends.
    local members = groupMembers(q, group, max - d.count, fromGroup)
    if #members == 0 then
      break
    end
    local ids, sequences = {}, {}
    for n, member in ipairs(members) do
      local _, sequence, id = splitMember(member)
      ids[n], sequences[n] = id, sequence
    end
    local scores = redis.call('ZMSCORE', q.schedule, unpack(ids))
    local states = redis.call('HMGET', q.receipts, unpack(ids))
    local payloads = redis.call('HMGET', q.messages, unpack(ids))
    local parked, blocked = 0, false
    for n, id in ipairs(ids) do
      local count, first = receiveState(d, states[n])
      local score = tonumber(scores[n])
      if not payloads[n] then
        removeMessage(q, id)
      elseif not score or score > now then
        blocked = true
        break
      elseif target and maxReceives and count >= maxReceives then
        redis.call('ZREM', q.schedule, id)
        redis.call('ZREM', q.order, members[n])
        redis.call('HSET', q.outbox, id, 'dlq:' .. target)
        moved[#moved + 1] = id
        parked = parked + 1
      else
        count = handOut(d, id, payloads[n], count, first, sequences[n])
        taken[#taken + 1] = id .. ':' .. count
        fromGroup = fromGroup + 1
      end
    end
    if blocked or parked == 0 then
      break
    end
  end
  return fromGroup
end

-- A zero visibility timeout leaves a group ready: `visited` keeps one receive
-- from taking its messages twice.
local visited, visitedCount = {}, 0
for _ = 1, 10 do
  if d.count >= max then
    break
  end
  local ready = redis.call('ZRANGEBYSCORE', q.groups, '-inf', now, 'LIMIT', 0, max - d.count + visitedCount)
  local fresh = {}
  for _, group in ipairs(ready) do
    if not visited[group] then
      visited[group] = true
      visitedCount = visitedCount + 1
      fresh[#fresh + 1] = group
    end
  end
  if #fresh == 0 then
    break
  end
  for _, group in ipairs(fresh) do
    if d.count >= max then
      break
    end
    if takeFromGroup(group) > 0 then
      redis.call('ZADD', q.groups, hiddenText, group)
    else
      refreshGroup(q, group, now)
    end
  end
end

commitDelivery(d, q.receipts, q.schedule, KEYS[11], ARGV[4] == 'yes' or (ARGV[4] == 'auto' and waitSeconds == 0))
if d.count > 0 then
  if attemptId ~= '' then
    redis.call('HSET', KEYS[12], attemptId, hiddenText .. ' ' .. table.concat(taken, ' '))
    redis.call('ZADD', KEYS[13], now + tonumber(ARGV[7]), attemptId)
  end
else
  local upcoming = redis.call('ZRANGEBYSCORE', q.groups, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  reply[3] = upcoming[2] or ''
end
reply[4] = #moved
for _, id in ipairs(moved) do
  reply[#reply + 1] = id
end
return finish()
