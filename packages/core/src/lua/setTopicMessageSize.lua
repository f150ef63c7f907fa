-- Sets a topic's MaximumMessageSize. Above the default size SNS lets a topic
-- have only a few subscriptions, all sqs; checking them here, in the script
-- that writes the value, leaves no gap for a Subscribe to slip through.
-- KEYS[1] meta  KEYS[2] subscriptions
-- ARGV[1] the new size (bytes)
-- ARGV[2] the default size, above which the rules apply
-- ARGV[3] most subscriptions a topic above the default may have
-- ARGV[4] now (ms): a pending subscription past its confirmation time is gone
-- Returns {"ok"} | {"missing"} | {"tooMany"}
--       | {"protocols", protocol...}: the other protocols subscribed, sorted
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'missing'}
end
if tonumber(ARGV[1]) > tonumber(ARGV[2]) then
  local now = tonumber(ARGV[4])
  local count, seen, others = 0, {}, {}
  for _, raw in ipairs(redis.call('HVALS', KEYS[2])) do
    local record = cjson.decode(raw)
    local lapsed = record.pendingConfirmation and record.confirmBy
      and tonumber(record.confirmBy) <= now
    if not lapsed then
      count = count + 1
      if record.protocol ~= 'sqs' and not seen[record.protocol] then
        seen[record.protocol] = true
        others[#others + 1] = record.protocol
      end
    end
  end
  if #others > 0 then
    table.sort(others)
    return {'protocols', unpack(others)}
  end
  if count > tonumber(ARGV[3]) then
    return {'tooMany'}
  end
end
redis.call('HSET', KEYS[1], 'MaximumMessageSize', ARGV[1])
return {'ok'}
