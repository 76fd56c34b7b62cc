-- ARGV: site, hour, then triples (`<dim>|<field>`, op, value): counts not
-- tied to a conversation (samples of presence, load and backlog).
-- Reply: ok.
for i = 3, #ARGV, 3 do
  tally_cell(ARGV[1], ARGV[2], ARGV[i], ARGV[i + 1], ARGV[i + 2])
end
return { 'ok' }
