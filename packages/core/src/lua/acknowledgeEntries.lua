--@include archive
-- Acknowledges log entries fan-out has delivered and counts the outcomes. On a
-- topic with an ArchivePolicy the entries stay in the log (the archive) and
-- those older than the retention period are trimmed; otherwise they are
-- deleted. One script, so the choice follows the policy of the moment.
-- KEYS[1] log  KEYS[2] meta  KEYS[3] stats
-- ARGV[1] consumer group
-- ARGV[2] now (ms)
-- ARGV[3] number of counter pairs that follow
-- ARGV[4..] counter name, increment pairs, then the entry ids
-- Returns {"ok"}
local pairsCount = tonumber(ARGV[3])
local i = 4
for _ = 1, pairsCount do
  redis.call('HINCRBY', KEYS[3], ARGV[i], ARGV[i + 1])
  i = i + 2
end
local ids = {}
for n = i, #ARGV do
  ids[#ids + 1] = ARGV[n]
end
if #ids == 0 then
  return {'ok'}
end
redis.call('XACK', KEYS[1], ARGV[1], unpack(ids))
local retention = tonumber(redis.call('HGET', KEYS[2], 'archive_ms'))
if retention then
  trimAcknowledged(KEYS[1], ARGV[1], streamId(tonumber(ARGV[2]) - retention, 0))
else
  redis.call('XDEL', KEYS[1], unpack(ids))
end
return {'ok'}
