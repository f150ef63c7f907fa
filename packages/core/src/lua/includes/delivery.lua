-- What one receive hands out, gathered so each structure is written once:
-- the new receipt states, the new visibility of each message and the reply's
-- fields. Numbers arrive as text: Lua's number formatting costs more than the
-- Redis calls themselves when it runs per message.
local function newDelivery(nowText, hiddenText)
  return { nowText = nowText, hiddenText = hiddenText, count = 0, receipts = {}, hide = {}, fields = {} }
end

-- A receipt state "count:first:last" as the receive count so far and the
-- first receive's ms; a message never received has 0 and now.
local function receiveState(d, raw)
  if not raw then
    return 0, d.nowText
  end
  local count, first = string.match(raw, '^(%d+):(%d+):')
  return tonumber(count), first
end

-- Adds one message to the reply without receiving it again (a retried
-- receive); `extra` is one more reply field (a FIFO sequence number) or nil.
local function echo(d, id, payload, count, first, extra)
  local fields = d.fields
  fields[#fields + 1] = id
  fields[#fields + 1] = payload
  fields[#fields + 1] = count
  fields[#fields + 1] = first
  if extra then
    fields[#fields + 1] = extra
  end
end

-- Hands out one message received `count` times before; returns its new count.
local function handOut(d, id, payload, count, first, extra)
  count = count + 1
  d.receipts[#d.receipts + 1] = id
  d.receipts[#d.receipts + 1] = count .. ':' .. first .. ':' .. d.nowText
  d.hide[#d.hide + 1] = d.hiddenText
  d.hide[#d.hide + 1] = id
  d.count = d.count + 1
  echo(d, id, payload, count, first, extra)
  return count
end

-- Writes the receipts and visibilities, and counts the receive (or the empty
-- receive, when `countEmpty` says so).
local function commitDelivery(d, receiptsKey, scheduleKey, statsKey, countEmpty)
  if d.count > 0 then
    redis.call('HSET', receiptsKey, unpack(d.receipts))
    redis.call('ZADD', scheduleKey, unpack(d.hide))
    redis.call('HINCRBY', statsKey, 'received', d.count)
  elseif countEmpty then
    redis.call('HINCRBY', statsKey, 'empty_receives', 1)
  end
end
