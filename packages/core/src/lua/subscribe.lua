-- Adds a subscription unless the topic has one with the same protocol and
-- endpoint, which SNS answers with instead (when its attributes agree). A
-- pending subscription whose confirmation time has passed no longer counts:
-- it is replaced. When the subscription (new or existing) awaits
-- confirmation, a confirmation token is stored for it. A new subscription
-- with a ReplayPolicy starts its replay here, before fan-out can see it.
-- KEYS[1] meta  KEYS[2] subscriptions
-- KEYS[3] confirmation token key (unused when ARGV[5] is "")
-- KEYS[4] replays
-- ARGV[1] new subscription id
-- ARGV[2] protocol
-- ARGV[3] endpoint
-- ARGV[4] the new subscription's record (JSON)
-- ARGV[5] confirmation token JSON ("" when the protocol needs none)
-- ARGV[6] ms the token lives
-- ARGV[7] now (ms)
-- ARGV[8] the default message size: a topic whose MaximumMessageSize is above
--         it takes new subscriptions of protocol sqs only, up to ARGV[9]
-- ARGV[9] most subscriptions such a topic may have
-- ARGV[10] the new subscription's replay state (JSON), or ""
-- Returns {"created", id} | {"exists", id, record} | {"NotFound"}
--       | {"LargeTopicProtocol"} | {"LargeTopicFull"}
if redis.call('EXISTS', KEYS[1]) == 0 then
  return {'NotFound'}
end
local function remember(id)
  if ARGV[5] == '' then
    return
  end
  local token = cjson.decode(ARGV[5])
  token.id = id
  token.created = redis.call('HGET', KEYS[1], 'created')
  redis.call('SET', KEYS[3], cjson.encode(token), 'PX', ARGV[6])
end
local now = tonumber(ARGV[7])
local all = redis.call('HGETALL', KEYS[2])
for i = 1, #all, 2 do
  local record = cjson.decode(all[i + 1])
  if record.protocol == ARGV[2] and record.endpoint == ARGV[3] then
    local lapsed = record.pendingConfirmation and record.confirmBy
      and tonumber(record.confirmBy) <= now
    if not lapsed then
      if record.pendingConfirmation then
        remember(all[i])
      end
      return {'exists', all[i], all[i + 1]}
    end
    redis.call('HDEL', KEYS[2], all[i])
  end
end
local size = tonumber(redis.call('HGET', KEYS[1], 'MaximumMessageSize'))
if size and size > tonumber(ARGV[8]) then
  if ARGV[2] ~= 'sqs' then
    return {'LargeTopicProtocol'}
  end
  if redis.call('HLEN', KEYS[2]) >= tonumber(ARGV[9]) then
    return {'LargeTopicFull'}
  end
end
redis.call('HSET', KEYS[2], ARGV[1], ARGV[4])
if ARGV[10] ~= '' then
  redis.call('HSET', KEYS[4], ARGV[1], ARGV[10])
end
remember(ARGV[1])
return {'created', ARGV[1]}
