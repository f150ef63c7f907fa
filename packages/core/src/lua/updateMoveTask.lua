-- Changes a message move task's record if it is in an expected state, so a
-- cancel and the runner's progress updates never overwrite each other.
-- KEYS[1] move-tasks  hash: task id -> JSON record
-- ARGV[1] task id
-- ARGV[2] comma-separated statuses the task must be in ("" = any)
-- ARGV[3] JSON object of fields to set
-- ARGV[4] runner id that must hold the task ("" = any)
-- Returns {"ok", JSON record after the change} | {"missing"} | {"state", JSON record}
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if not raw then
  return {'missing'}
end
local task = cjson.decode(raw)
if ARGV[2] ~= '' and not string.find(',' .. ARGV[2] .. ',', ',' .. task.status .. ',', 1, true) then
  return {'state', raw}
end
if ARGV[4] ~= '' and task.runner ~= ARGV[4] then
  return {'state', raw}
end
for field, value in pairs(cjson.decode(ARGV[3])) do
  task[field] = value
end
local updated = cjson.encode(task)
redis.call('HSET', KEYS[1], ARGV[1], updated)
return {'ok', updated}
