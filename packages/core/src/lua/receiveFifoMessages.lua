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

-- Which messages to hand out, decided before any payload is read: the ready
-- groups, oldest first, each from its head until a message that is not yet
-- visible. Groups are read a few at a time, with one ZMSCORE and one HMGET for
-- all their heads, until enough messages are lined up.
local chosen, chosenFrom, touched, visited, visitedCount = {}, {}, {}, {}, 0
for _ = 1, 10 do
  local want = max - #chosen
  if want <= 0 then
    break
  end
  local ready = redis.call('ZRANGEBYSCORE', q.groups, '-inf', now, 'LIMIT', 0, want + visitedCount)
  local lined, groups, fetched = {}, {}, {}
  for _, group in ipairs(ready) do
    if #lined >= want then
      break
    end
    if not visited[group] then
      visited[group] = true
      visitedCount = visitedCount + 1
      groups[#groups + 1] = group
      -- Messages chosen earlier in this receive are still first in the group.
      local members = groupMembers(q, group, want, chosenFrom[group])
      fetched[group] = #members
      if #members == 0 then
        touched[group] = true
      end
      for _, member in ipairs(members) do
        local _, sequence, id = splitMember(member)
        lined[#lined + 1] = { group = group, member = member, id = id, sequence = sequence }
      end
    end
  end
  if #groups == 0 then
    break
  end
  if #lined > 0 then
    local ids = {}
    for n, c in ipairs(lined) do
      ids[n] = c.id
    end
    local scores = redis.call('ZMSCORE', q.schedule, unpack(ids))
    local states = redis.call('HMGET', q.receipts, unpack(ids))
    local blocked, parked = {}, {}
    for n, c in ipairs(lined) do
      if #chosen >= max then
        break
      end
      if not blocked[c.group] then
        touched[c.group] = true
        local count, first = receiveState(d, states[n])
        local score = tonumber(scores[n])
        if not score or score > now then
          blocked[c.group] = true
        elseif target and maxReceives and count >= maxReceives then
          redis.call('ZREM', q.schedule, c.id)
          redis.call('ZREM', q.order, c.member)
          redis.call('HSET', q.outbox, c.id, 'dlq:' .. target)
          moved[#moved + 1] = c.id
          parked[c.group] = true
        else
          chosen[#chosen + 1] = { id = c.id, count = count, first = first, sequence = c.sequence, group = c.group }
          chosenFrom[c.group] = (chosenFrom[c.group] or 0) + 1
        end
      end
    end
    -- A group that lost dead letters from a full read may have more behind
    -- them: the next round reads it again.
    for group in pairs(parked) do
      if not blocked[group] and fetched[group] == want then
        visited[group] = nil
        visitedCount = visitedCount - 1
      end
    end
  end
end

local delivering, times = {}, {}
if #chosen > 0 then
  local ids = {}
  for n, c in ipairs(chosen) do
    ids[n] = c.id
  end
  local payloads = redis.call('HMGET', q.messages, unpack(ids))
  for n, c in ipairs(chosen) do
    if payloads[n] then
      local count = handOut(d, c.id, payloads[n], c.count, c.first, c.sequence)
      taken[#taken + 1] = c.id .. ':' .. count
      if not delivering[c.group] then
        delivering[c.group] = true
        times[#times + 1] = hiddenText
        times[#times + 1] = c.group
      end
    else
      removeMessage(q, c.id)
    end
  end
end
if #times > 0 then
  redis.call('ZADD', q.groups, unpack(times))
end
-- Groups that delivered nothing (a delayed head, all dead letters) get their
-- time recomputed; groups never reached keep theirs.
for group in pairs(touched) do
  if not delivering[group] then
    refreshGroup(q, group, now)
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
