-- Writes validated attributes; an empty value removes the attribute. A FIFO
-- queue's throughput limit per message group needs deduplication per group,
-- checked here against what is stored.
-- KEYS[1] meta  hash
-- ARGV[1] now (ms)
-- ARGV[2..] field, value pairs
-- Returns {"ok", previous redrive target or ""} | {"QueueDoesNotExist"}
--       | {"FifoThroughputNeedsGroupScope"}
local current = redis.call('HMGET', KEYS[1], 'created', 'redrive_target', 'DeduplicationScope', 'FifoThroughputLimit')
if not current[1] then
  return {'QueueDoesNotExist'}
end
local scope, limit = current[3], current[4]
for i = 2, #ARGV, 2 do
  if ARGV[i] == 'DeduplicationScope' then
    scope = ARGV[i + 1]
  elseif ARGV[i] == 'FifoThroughputLimit' then
    limit = ARGV[i + 1]
  end
end
if limit == 'perMessageGroupId' and scope ~= 'messageGroup' then
  return {'FifoThroughputNeedsGroupScope'}
end
for i = 2, #ARGV, 2 do
  if ARGV[i + 1] == '' then
    redis.call('HDEL', KEYS[1], ARGV[i])
  else
    redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
redis.call('HSET', KEYS[1], 'modified', ARGV[1])
return {'ok', current[2] or ''}
