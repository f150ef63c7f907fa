-- The structures holding a queue's messages, passed as nine consecutive KEYS
-- from `first` on, in the order of keys.ts messageKeys().
local function messageKeys(first)
  return {
    messages = KEYS[first],
    receipts = KEYS[first + 1],
    schedule = KEYS[first + 2],
    delayed = KEYS[first + 3],
    sent = KEYS[first + 4],
    outbox = KEYS[first + 5],
    groups = KEYS[first + 6],
    order = KEYS[first + 7],
    members = KEYS[first + 8],
  }
end
