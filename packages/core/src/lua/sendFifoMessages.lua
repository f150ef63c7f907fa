--@include fifoGroups
--@include deduplication
-- Enqueues up to ten messages on a FIFO queue: each joins the end of its
-- group under the next sequence number, unless its deduplication key was
-- seen within the window, in which case it is acknowledged with the first
-- message's id and sequence number and enqueues nothing.
-- KEYS[1] meta  KEYS[2] messages  KEYS[3] schedule  KEYS[4] delayed
-- KEYS[5] sent  KEYS[6] stats  KEYS[7] groups  KEYS[8] order  KEYS[9] members
-- KEYS[10] dedup  KEYS[11] dedup-expiry
-- ARGV[1] now (ms)
-- ARGV[2] wake channel
-- ARGV[3] deduplication window (ms)
-- ARGV[4..] per message: id, payload, size in bytes, group id, deduplication
--           id, and "explicit" or "content" (the id is the body's SHA-256,
--           valid only with ContentBasedDeduplication)
-- Returns {"ok", maximum size, then per message a status, message id and
--          sequence number}; a status is "sent", "duplicate" or "tooLong"
--       | {"QueueDoesNotExist"}
--       | {"MissingDeduplicationId"}: a message has no deduplication id and
--         the queue no ContentBasedDeduplication; nothing was enqueued
local meta = redis.call('HMGET', KEYS[1], 'MaximumMessageSize', 'DelaySeconds', 'ContentBasedDeduplication', 'DeduplicationScope', 'sequence')
if not meta[1] then
  return {'QueueDoesNotExist'}
end
local maxSize = tonumber(meta[1])
local delay = tonumber(meta[2]) or 0
local contentBased = meta[3] == 'true'
local perGroup = meta[4] == 'messageGroup'
local sequence = tonumber(meta[5]) or 0
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[3])

local count = (#ARGV - 3) / 6
pruneDeduplication(KEYS[10], KEYS[11], now, count * 2 + 10)

-- First pass: which messages may enqueue, and their deduplication keys.
local dedupKeys, lookups = {}, {}
for n = 1, count do
  local i = 4 + (n - 1) * 6
  if ARGV[i + 5] == 'content' and not contentBased then
    return {'MissingDeduplicationId'}
  elseif tonumber(ARGV[i + 2]) <= maxSize then
    dedupKeys[n] = deduplicationKey(perGroup, ARGV[i + 3], ARGV[i + 4])
    lookups[#lookups + 1] = dedupKeys[n]
  end
end
local known = knownDuplicates(KEYS[10], KEYS[11], lookups, now)

local visibleAt = string.format('%d', now + delay * 1000)
local reply = {'ok', maxSize}
local payloads, schedule, sent, order, members, dedup, dedupEnds, groups = {}, {}, {}, {}, {}, {}, {}, {}
local bytes, added, duplicates = 0, 0, 0
local dedupEnd = string.format('%d', now + window)
for n = 1, count do
  local i = 4 + (n - 1) * 6
  local id, group, key = ARGV[i], ARGV[i + 3], dedupKeys[n]
  local first = key and known[key]
  if first then
    local firstId, firstSequence = string.match(first, '^(%S+) (%d+)$')
    duplicates = duplicates + 1
    reply[#reply + 1] = 'duplicate'
    reply[#reply + 1] = firstId
    reply[#reply + 1] = firstSequence
  elseif key then
    sequence = sequence + 1
    local sequenceText = formatSequence(sequence)
    local member = memberOf(group, sequenceText, id)
    known[key] = id .. ' ' .. sequenceText
    payloads[#payloads + 1] = id
    payloads[#payloads + 1] = ARGV[i + 1]
    schedule[#schedule + 1] = visibleAt
    schedule[#schedule + 1] = id
    sent[#sent + 1] = ARGV[1]
    sent[#sent + 1] = id
    order[#order + 1] = 0
    order[#order + 1] = member
    members[#members + 1] = id
    members[#members + 1] = member
    dedup[#dedup + 1] = key
    dedup[#dedup + 1] = known[key]
    dedupEnds[#dedupEnds + 1] = dedupEnd
    dedupEnds[#dedupEnds + 1] = key
    groups[#groups + 1] = visibleAt
    groups[#groups + 1] = group
    bytes = bytes + tonumber(ARGV[i + 2])
    added = added + 1
    reply[#reply + 1] = 'sent'
    reply[#reply + 1] = id
    reply[#reply + 1] = sequenceText
  else
    reply[#reply + 1] = 'tooLong'
    reply[#reply + 1] = ''
    reply[#reply + 1] = ''
  end
end
if added > 0 then
  redis.call('HSET', KEYS[1], 'sequence', sequence)
  redis.call('HSET', KEYS[2], unpack(payloads))
  redis.call('ZADD', KEYS[3], unpack(schedule))
  redis.call('ZADD', KEYS[5], unpack(sent))
  redis.call('ZADD', KEYS[8], unpack(order))
  redis.call('HSET', KEYS[9], unpack(members))
  redis.call('HSET', KEYS[10], unpack(dedup))
  redis.call('ZADD', KEYS[11], unpack(dedupEnds))
  -- A group that already has messages keeps its time; a new one starts with
  -- its first message's (the first of a group in this call wins under NX).
  -- Only new groups can be delivered sooner than before, so only they wake
  -- waiting receives.
  local newGroups = redis.call('ZADD', KEYS[7], 'NX', unpack(groups))
  redis.call('HINCRBY', KEYS[6], 'sent', added)
  redis.call('HINCRBY', KEYS[6], 'bytes_sent', bytes)
  if delay > 0 then
    redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
    redis.call('ZADD', KEYS[4], unpack(schedule))
  end
  if newGroups > 0 and delay > 0 then
    redis.call('PUBLISH', ARGV[2], 't:' .. visibleAt)
  elseif newGroups > 0 then
    redis.call('PUBLISH', ARGV[2], newGroups)
  end
end
if duplicates > 0 then
  redis.call('HINCRBY', KEYS[6], 'deduplicated', duplicates)
end
return reply
