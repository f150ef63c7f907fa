-- Archived log entries. On a topic with an ArchivePolicy fan-out acknowledges
-- entries without deleting them; they are trimmed by age instead. Only
-- entries fan-out is done with may go: those before the oldest pending entry
-- and not after the last one the group read.

local function streamId(ms, seq)
  return string.format('%d-%d', ms, seq)
end

local function idParts(id)
  local ms, seq = string.match(id, '^(%d+)-(%d+)$')
  return tonumber(ms), tonumber(seq)
end

local function lowerId(a, b)
  local ams, aseq = idParts(a)
  local bms, bseq = idParts(b)
  if ams < bms or (ams == bms and aseq < bseq) then
    return a
  end
  return b
end

-- The group's last delivered id ("0-0" when it has read nothing).
local function lastDeliveredId(log, group)
  for _, info in ipairs(redis.call('XINFO', 'GROUPS', log)) do
    local fields = {}
    for i = 1, #info, 2 do
      fields[info[i]] = info[i + 1]
    end
    if fields['name'] == group then
      return fields['last-delivered-id']
    end
  end
  return '0-0'
end

-- Deletes acknowledged entries with ids below `below` (every acknowledged
-- one when `below` is nil).
local function trimAcknowledged(log, group, below)
  local lastMs, lastSeq = idParts(lastDeliveredId(log, group))
  local bound = streamId(lastMs, lastSeq + 1)
  local pending = redis.call('XPENDING', log, group)
  if pending[2] then
    bound = lowerId(bound, pending[2])
  end
  if below then
    bound = lowerId(bound, below)
  end
  redis.call('XTRIM', log, 'MINID', bound)
end
