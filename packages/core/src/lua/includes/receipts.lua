-- A message's receipt state: "receiveCount:firstReceiveMs:lastReceiveMs".
local function readReceipt(receiptsKey, id)
  local raw = redis.call('HGET', receiptsKey, id)
  if not raw then
    return 0, 0, 0
  end
  local count, first, last = string.match(raw, '^(%d+):(%d+):(%d+)$')
  return tonumber(count), tonumber(first), tonumber(last)
end
