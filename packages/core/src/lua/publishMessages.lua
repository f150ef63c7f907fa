--@include fifoGroups
--@include deduplication
-- Records published messages in the topic's log: acknowledged once here, each
-- is fanned out to the subscriptions by the delivery workers. On a FIFO topic
-- a message whose deduplication key was recorded within the window is
-- acknowledged with the first message's id and sequence number and logged
-- nothing; the others take the topic's next sequence numbers, in order.
-- Entry ids carry the caller's clock (ms, never going back: `log_ms` in meta),
-- so the log is an archive searchable by publish time; a topic created before
-- `log_ms` existed takes Redis's time once to start from.
-- KEYS[1] meta  KEYS[2] log  KEYS[3] stats  KEYS[4] dedup  KEYS[5] dedup-expiry
-- ARGV[1] wake channel
-- ARGV[2] now (ms)
-- ARGV[3] deduplication window (ms)
-- ARGV[4] bytes of all the messages together (body and attributes)
-- ARGV[5] the size limit of a topic without MaximumMessageSize
-- ARGV[6..] per message: id, record (JSON), group id, deduplication id, and
--           "explicit" or "content" (the id is the message's SHA-256, valid
--           only with ContentBasedDeduplication), or "" on a standard topic
-- Returns {"ok", then per message a status ("published" or "duplicate"), its
--          message id and sequence number ("" on a standard topic)}
--       | {"NotFound"}
--       | {"TooLong", the topic's size limit}: ARGV[4] is above it; nothing
--         was logged
--       | {"TopicNeedsDeduplicationId"}: a message has no deduplication id and
--         the topic no ContentBasedDeduplication; nothing was logged
local meta = redis.call('HMGET', KEYS[1], 'created', 'ContentBasedDeduplication', 'FifoThroughputScope', 'sequence', 'MaximumMessageSize', 'log_ms')
if not meta[1] then
  return {'NotFound'}
end
local limit = tonumber(meta[5]) or tonumber(ARGV[5])
if tonumber(ARGV[4]) > limit then
  return {'TooLong', limit}
end
local contentBased = meta[2] == 'true'
local perGroup = meta[3] == 'MessageGroup'
local sequence = tonumber(meta[4]) or 0
local now = tonumber(ARGV[2])
local count = (#ARGV - 5) / 5
local logMs = tonumber(meta[6])

local function append(...)
  if not logMs then
    local id = redis.call('XADD', KEYS[2], '*', ...)
    logMs = tonumber(string.match(id, '^(%d+)'))
    return
  end
  if now > logMs then
    logMs = now
  end
  redis.call('XADD', KEYS[2], string.format('%d-*', logMs), ...)
end

pruneDeduplication(KEYS[4], KEYS[5], now, count * 2 + 10)

local dedupKeys, lookups = {}, {}
for n = 1, count do
  local i = 6 + (n - 1) * 5
  local mode = ARGV[i + 4]
  if mode == 'content' and not contentBased then
    return {'TopicNeedsDeduplicationId'}
  elseif mode ~= '' then
    dedupKeys[n] = deduplicationKey(perGroup, ARGV[i + 2], ARGV[i + 3])
    lookups[#lookups + 1] = dedupKeys[n]
  end
end
local known = knownDuplicates(KEYS[4], KEYS[5], lookups, now)

local reply = {'ok'}
local dedup, dedupEnds = {}, {}
local dedupEnd = string.format('%d', now + tonumber(ARGV[3]))
local added = 0
for n = 1, count do
  local i = 6 + (n - 1) * 5
  local id, key = ARGV[i], dedupKeys[n]
  local first = key and known[key]
  if first then
    local firstId, firstSequence = string.match(first, '^(%S+) (%d+)$')
    reply[#reply + 1] = 'duplicate'
    reply[#reply + 1] = firstId
    reply[#reply + 1] = firstSequence
  elseif key then
    sequence = sequence + 1
    local sequenceText = formatSequence(sequence)
    append('m', ARGV[i + 1], 's', sequenceText)
    known[key] = id .. ' ' .. sequenceText
    dedup[#dedup + 1] = key
    dedup[#dedup + 1] = known[key]
    dedupEnds[#dedupEnds + 1] = dedupEnd
    dedupEnds[#dedupEnds + 1] = key
    added = added + 1
    reply[#reply + 1] = 'published'
    reply[#reply + 1] = id
    reply[#reply + 1] = sequenceText
  else
    append('m', ARGV[i + 1])
    added = added + 1
    reply[#reply + 1] = 'published'
    reply[#reply + 1] = id
    reply[#reply + 1] = ''
  end
end
if #dedup > 0 then
  redis.call('HSET', KEYS[1], 'sequence', sequence)
  redis.call('HSET', KEYS[4], unpack(dedup))
  redis.call('ZADD', KEYS[5], unpack(dedupEnds))
end
if added > 0 then
  redis.call('HSET', KEYS[1], 'log_ms', string.format('%d', logMs))
  redis.call('HINCRBY', KEYS[3], 'published', added)
  redis.call('PUBLISH', ARGV[1], added)
end
return reply
