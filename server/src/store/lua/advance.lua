-- ARGV: n, then per change: conversation id, expected clocks ('' for
-- none), new clocks, site, k, then k × (hour, `<dim>|<field>`, op, value).
-- Each change applies only if the conversation's clocks are still what it
-- read: then its clocks and its counts are written together.
-- The applied changes' counts are added up per cell before they are
-- written (a busy batch touches the same few cells many times).
-- Reply: ok, then per change applied | conflict | gone.
local out = { 'ok' }
local cells, order = {}, {}
local i = 2
for _ = 1, tonumber(ARGV[1]) do
  local id, expected, clocks, site = ARGV[i], ARGV[i + 1], ARGV[i + 2], ARGV[i + 3]
  local k = tonumber(ARGV[i + 4])
  i = i + 5
  local ck = conv_key(id)
  local status
  if redis.call('EXISTS', ck) == 0 then
    status = 'gone'
  elseif (redis.call('HGET', ck, 'clocks') or '') ~= expected then
    status = 'conflict'
  else
    redis.call('HSET', ck, 'clocks', clocks)
    for j = 0, k - 1 do
      local at = i + 4 * j
      local key = site .. '\n' .. ARGV[at] .. '\n' .. ARGV[at + 1]
      local cell = cells[key]
      local value = tonumber(ARGV[at + 3])
      if not cell then
        cells[key] = { site, ARGV[at], ARGV[at + 1], ARGV[at + 2], value }
        order[#order + 1] = key
      elseif cell[4] == 'max' then
        if value > cell[5] then cell[5] = value end
      else
        cell[5] = cell[5] + value
      end
    end
    status = 'applied'
  end
  i = i + 4 * k
  out[#out + 1] = status
end
for _, key in ipairs(order) do
  local c = cells[key]
  tally_cell(c[1], c[2], c[3], c[4], string.format('%d', c[5]))
end
return out
