--@include archive
-- Sets or removes a FIFO topic's ArchivePolicy. Archiving starts (and
-- BeginningArchiveTime is counted from) when a policy is first set; a new
-- retention period keeps that start. Removing the policy deletes what the
-- archive kept.
-- KEYS[1] meta  KEYS[2] log
-- ARGV[1] the policy as given ("" removes it)
-- ARGV[2] retention (ms)
-- ARGV[3] now (ms)
-- ARGV[4] the log's consumer group
-- Returns {"ok"} | {"missing"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
if ARGV[1] == '' then
  redis.call('HDEL', KEYS[1], 'ArchivePolicy', 'archive_ms', 'archive_since')
  trimAcknowledged(KEYS[2], ARGV[4], nil)
  return {'ok'}
end
redis.call('HSET', KEYS[1], 'ArchivePolicy', ARGV[1], 'archive_ms', ARGV[2])
redis.call('HSETNX', KEYS[1], 'archive_since', ARGV[3])
return {'ok'}
