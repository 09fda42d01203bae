# Reads one callgrind output file (positions: line, events: Ir, names compressed or not) and
# prints "total begin end fn out": all instructions counted; instructions inside calls of
# zaph_request_begin, of zaph_request_end and of bench_request_fn (each including what it
# calls); and instructions inside calls made by the ops (op_<j>), i.e. their out-of-line path.
# A call's inclusive cost is the cost line right after its "calls=" line (callgrind's format).
function name(s,   id) {
  if (s !~ /^\(/) return s
  id = substr(s, 2, index(s, ")") - 2)
  sub(/^\([0-9]+\) ?/, "", s)
  if (s != "") names[id] = s
  return names[id]
}
/^(summary|totals):/ { total = $2; next }
/^fn=/ { fn = name(substr($0, 4)); next }
/^cfn=/ { cfn = name(substr($0, 5)); next }
/^calls=/ { in_call = 1; next }
/^[0-9+*-]/ {
  if (in_call) {
    into[cfn] += $2
    if (fn ~ /^op_[0-9]+$/) out += $2
    in_call = 0
  }
  next
}
END {
  printf "%.0f %.0f %.0f %.0f %.0f\n", total, into["zaph_request_begin"], into["zaph_request_end"],
    into["bench_request_fn"], out
}
