-- Records a new message move task unless one is already active on the queue;
-- keeps the newest ten records, as ListMessageMoveTasks shows at most ten.
-- KEYS[1] meta        hash
-- KEYS[2] move-tasks  hash: task id -> JSON record
-- ARGV[1] task id
-- ARGV[2] JSON record
-- Returns {"ok"} | {"QueueDoesNotExist"} | {"TaskAlreadyRunning"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'QueueDoesNotExist'}
end
local records = redis.call('HGETALL', KEYS[2])
local finished = {}
for i = 1, #records, 2 do
  local task = cjson.decode(records[i + 1])
  if task.status == 'RUNNING' or task.status == 'CANCELLING' then
    return {'TaskAlreadyRunning'}
  end
  finished[#finished + 1] = {records[i], task.startedAt}
end
table.sort(finished, function(a, b) return a[2] > b[2] end)
for i = 10, #finished do
  redis.call('HDEL', KEYS[2], finished[i][1])
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[2])
return {'ok'}
