-- Takes, keeps or gives up a FIFO topic's fan-out lease: one delivery worker
-- at a time sends a FIFO topic's messages, so no later message of a group
-- overtakes an earlier one across workers.
-- KEYS[1] lease
-- ARGV[1] the worker's consumer name
-- ARGV[2] "take" (with ARGV[3] the lease's length in ms) or "release"
-- Returns {"ok", "acquired" | "renewed" | "held" | "released"}: "held" means
--         another worker has it
local holder = redis.call('GET', KEYS[1])
if ARGV[2] == 'release' then
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
  end
  return {'ok', 'released'}
end
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[3])
  return {'ok', 'renewed'}
end
if holder then
  return {'ok', 'held'}
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return {'ok', 'acquired'}
