-- ARGV: now. Reply: ok, then each assigned conversation, in queue order.
local out = { 'ok' }
while true do
  local head = redis.call('LINDEX', P .. 'queue', 0)
  if not head then break end
  local agent = choose_agent()
  if not agent then break end
  out[#out + 1] = assign(head, agent, ARGV[1])
end
return out
