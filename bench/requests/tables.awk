# The tables of bench/requests.sh, from its callgrind counts (first file: "COMPILER VARIANT N MODE
# K M DIST REQUESTS total begin end fn out entries", instructions in the measured pass) and its
# timed runs (second file: "POINT COMPILER VARIANT REP ns_per_request entries_per_request", POINT
# the 0-based index of the timed point). Variables: llvms, grid_ns, grid_ks, grid_ms, cgr
# (requests per grid run), tn tk tm (targets 1, 2, 4), t3n big t3r (target 3), timepoints (the
# timed points, "N K M;N K M...") and timer (requests per timed run), clearly (target 8).
FNR == 1 { file++ }
file == 1 {
  key = $1 " " $2 " " $3 " " $4 " " $5 " " $6 " " $7 " " $8
  tot[key] = $9; beg[key] = $10; fin[key] = $11; rfn[key] = $12; out[key] = $13; ent[key] = $14
  next
}
file == 2 {
  t[$1 " " $2 " " $3, $4] = $5; epr[$1 " " $2] = $6
  if ($4 + 1 > reps) reps = $4 + 1
  next
}

function id(v, var, n, mode, k, m, dist, r,   key) {
  key = v " " var " " n " " mode " " k " " m " " dist " " r
  if (!(key in tot)) { print "tables.awk: no callgrind count for " key > "/dev/stderr"; failed = 1; exit 1 }
  return key
}
# Extra instructions per request of variant var (zaph or cont) over base, same arguments.
function extra(v, var, n, mode, k, m, dist, r) {
  return (tot[id(v, var, n, mode, k, m, dist, r)] - tot[id(v, "base", n, mode, k, m, dist, r)]) / r
}
# Extra instructions per request inside zaph_request_begin plus zaph_request_end.
function calls_extra(v, var, n, mode, k, m, dist, r,   z, b) {
  z = id(v, var, n, mode, k, m, dist, r); b = id(v, "base", n, mode, k, m, dist, r)
  return (beg[z] - beg[b] + fin[z] - fin[b]) / r
}
function f2(x) { return sprintf("%.2f", x) }
function median(a, m,   i, j, x) {
  for (i = 1; i <= m; i++) for (j = i + 1; j <= m; j++) if (a[j] < a[i]) { x = a[i]; a[i] = a[j]; a[j] = x }
  return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
}
function minof(a, m,   i, x) { x = a[1]; for (i = 2; i <= m; i++) if (a[i] < x) x = a[i]; return x }
function maxof(a, m,   i, x) { x = a[1]; for (i = 2; i <= m; i++) if (a[i] > x) x = a[i]; return x }
# Per-repetition values of variant var at timed point tp and LLVM v: kind "ratio" (to base) or
# "extra" (ns/entry).
function per_rep(tp, v, var, kind, a,   r, pv) {
  pv = tp " " v
  for (r = 0; r < reps; r++)
    a[r + 1] = kind == "ratio" ? t[pv " " var, r] / t[pv " base", r] : (t[pv " " var, r] - t[pv " base", r]) / epr[pv]
  return reps
}
# One row of the targets table: val[v] measured (text), ok[v] met (1/0).
function row(label, goal,   i, line, bad) {
  line = "| " label " | " goal
  bad = ""
  for (i = 1; i <= nl; i++) {
    line = line " | " val[L[i]]
    if (!ok[L[i]]) bad = bad (bad == "" ? "" : ", ") cname(L[i])
  }
  print line " | " (bad == "" ? "yes" : "**no**: " bad) " |"
  delete val; delete ok
}
function le(x, goal) { return f2(x) + 0 <= goal }
# The name of compiler v in the tables: an LLVM major is its clang.
function cname(v) { return v ~ /^[0-9]+$/ ? "clang " v : v == "gcc" ? "GCC" : v }

END {
  if (failed) exit 1
  nl = split(llvms, L, " "); nn = split(grid_ns, NS, " "); nk = split(grid_ks, KS, " "); nm = split(grid_ms, MS, " ")
  np = split(timepoints, TP, ";") # TP[tp + 1] = "N K M" of timed point tp
  for (i = 1; i <= nl; i++) { v = L[i]; goal1[v] = v == 14 || v == "gcc" ? 5 : 3 }

  print "### Targets"
  print ""
  line = "| target | goal"; sep = "|---|---"
  for (i = 1; i <= nl; i++) { line = line " | measured " cname(L[i]); sep = sep "|---" }
  print line " | met? |"; print sep "|---|"
  g1 = "≤ 3 (clang 22), ≤ 5 (clang 14, GCC)"
  ops = "K=" tk " of N=" tn " ops"

  # 1 and 2: K ops entered exactly once and exactly tm times, in requests (begin ... end).
  for (i = 1; i <= nl; i++) {
    v = L[i]
    x1 = extra(v, "zaph", tn, "req", tk, 1, "x", cgr); xm = extra(v, "zaph", tn, "req", tk, tm, "x", cgr)
    marg[v] = (xm - x1) / (tk * (tm - 1))
    first[v] = (x1 - calls_extra(v, "zaph", tn, "req", tk, 1, "x", cgr)) / tk
    ool[v] = out[id(v, "zaph", tn, "req", tk, 1, "x", cgr)] / cgr / tk
  }
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(marg[v]); ok[v] = le(marg[v], goal1[v]) }
  row("1. entry in a request after the op's first (" ops ", " tm " vs 1 entries each: extra per entry)", g1)
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(first[v] - marg[v]) " (first entry: " f2(first[v]) ")"; ok[v] = le(first[v] - marg[v], 8) }
  row("2. an op's first entry in a request: extra beyond target 1 (" ops ", once each, begin/end excluded)", "≤ 8")
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(ool[v]); ok[v] = ool[v] == 0 }
  row("2. ... on the inline path: instructions in calls out of the op, per first entry", "0")

  # 3: requests touching 1 and big of t3n ops, once each; instructions per call.
  split("req:beg:zaph_request_begin after zaph_request_end@req:fin:zaph_request_end@chain:beg:zaph_request_begin ending the open request (no zaph_request_end)@fn:fn:a zaph_request function's entry (extra over the plain function, no zaph_request_end)", T3, "@")
  for (j = 1; j <= 4; j++) {
    split(T3[j], p, ":"); mode = p[1]; what = p[2]
    for (s = 1; s <= 2; s++) {
      k = s == 1 ? 1 : big
      for (i = 1; i <= nl; i++) {
        v = L[i]; z = id(v, "zaph", t3n, mode, k, 1, "x", t3r); b = id(v, "base", t3n, mode, k, 1, "x", t3r)
        c = what == "beg" ? beg[z] / t3r : what == "fin" ? fin[z] / t3r : (rfn[z] - rfn[b]) / t3r
        if (s == 1) one[v] = c
        val[v] = f2(c); ok[v] = le(c, 20) && (s == 1 || (c - one[v] <= 0.5 && one[v] - c <= 0.5))
      }
      subject = what == "fin" ? "the request" : "the previous request"
      row("3. " p[3] ": instructions, " subject " touched " k " op" (k > 1 ? "s" : "") " of " t3n,
          s == 1 ? "≤ 20" : "≤ 20, within 0.5 of 1 op")
    }
  }

  # 4: entries outside requests (begin, end, then the entries) and without any request.
  for (i = 1; i <= nl; i++) {
    v = L[i]; x1 = extra(v, "zaph", tn, "outside", tk, 1, "x", cgr); xm = extra(v, "zaph", tn, "outside", tk, tm, "x", cgr)
    c = (x1 - calls_extra(v, "zaph", tn, "outside", tk, 1, "x", cgr)) / tk
    val[v] = f2(c); ok[v] = le(c, goal1[v])
    om[v] = (xm - x1) / (tk * (tm - 1))
  }
  row("4. entry outside requests, an op's first after zaph_request_end (" ops ", once each: extra per entry)", g1)
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(om[v]); ok[v] = le(om[v], goal1[v]) }
  row("4. entry outside requests after the op's first (" tm " vs 1 entries each: extra per entry)", g1)
  for (i = 1; i <= nl; i++) {
    v = L[i]; x1 = extra(v, "zaph", tn, "none", tk, 1, "x", cgr); xm = extra(v, "zaph", tn, "none", tk, tm, "x", cgr)
    c = x1 / tk; val[v] = f2(c); ok[v] = le(c, goal1[v]); om[v] = (xm - x1) / (tk * (tm - 1))
  }
  row("4. program marking no requests: entry (" ops ", once each per round: extra per entry)", g1)
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(om[v]); ok[v] = le(om[v], goal1[v]) }
  row("4. program marking no requests: entry after the op's first in a round (" tm " vs 1)", g1)

  # The grid (5 and 8).
  for (i = 1; i <= nl; i++) {
    v = L[i]; rows = 0
    for (a = 1; a <= nn; a++) for (b = 1; b <= nk; b++) for (c = 1; c <= nm; c++) {
      n = NS[a]; k = KS[b]; m = MS[c]
      if (k + 0 > n + 0) continue
      z = id(v, "zaph", n, "req", k, m, "u", cgr); e = ent[z] / cgr
      xz = extra(v, "zaph", n, "req", k, m, "u", cgr); xc = extra(v, "cont", n, "req", k, m, "u", cgr)
      rows++
      pe = xz / e; q = xz > 0 ? xc / xz : 1e9
      if (rows == 1 || pe < lo[v]) lo[v] = pe
      if (rows == 1 || pe > hi[v]) hi[v] = pe
      if (rows == 1 || q < qlo[v]) qlo[v] = q
      if (rows == 1 || q > qhi[v]) qhi[v] = q
      g = g sprintf("| %s | %d | %d | 1..%d | %.2f | %.1f | %.1f | %+.1f | %+.2f | %+.1f | %.1f | %+.1f | %+.2f | %.2f |\n",
        cname(v), n, k, m, e, tot[id(v, "base", n, "req", k, m, "u", cgr)] / cgr, tot[z] / cgr, xz, pe,
        calls_extra(v, "zaph", n, "req", k, m, "u", cgr), tot[id(v, "cont", n, "req", k, m, "u", cgr)] / cgr,
        xc, xc / e, q)
    }
    nrows[v] = rows
    if (reps) {
      tval[v] = ""; tok[v] = 1
      for (tp = 0; tp < np; tp++) {
        per_rep(tp, v, "zaph", "extra", ez); per_rep(tp, v, "cont", "extra", ec)
        mz = median(ez, reps); mc = median(ec, reps); q = mz > 0 ? mc / mz : 1e9
        tval[v] = tval[v] (tp ? ", " : "") "×" f2(q) (np > 1 ? " (" TP[tp + 1] ")" : "")
        if (q < clearly) tok[v] = 0
      }
    }
  }
  for (i = 1; i <= nl; i++) { v = L[i]; val[v] = f2(lo[v]) " to " f2(hi[v]) " extra instr/entry, " nrows[v] " points"; ok[v] = nrows[v] > 0 }
  row("5. request-shaped benchmark: K in " grid_ks ", N in " grid_ns ", 1..M entries, M in " grid_ms, "the grid below")
  for (i = 1; i <= nl; i++) {
    v = L[i]; val[v] = "instructions ×" f2(qlo[v]) " to ×" f2(qhi[v]) (reps ? ", time " tval[v] : "")
    ok[v] = qlo[v] >= clearly && (!reps || tok[v])
  }
  row("8. continuous extra / memory extra, every grid point and " (np > 1 ? "every timed point (N K M)" : "the timed point"),
      "≥ " clearly " (\"clearly less\")")
  print ""
  print "1, 2, 4: extra instructions per entry, from callgrind runs of " cgr " requests; the marginal entry is"
  print "(extra/request at " tm " entries per op - at 1) / (K × " tm - 1 "), an op's first entry is (extra/request at 1 entry"
  print "per op - extra of zaph_request_begin/end) / K. 3: everything executed inside the call (callgrind's"
  print "inclusive count, the stub's 2 instructions not subtracted), per call, " t3r " requests; a zaph_request"
  print "function's is the extra over the same function built without the pass. 8: \"clearly\" is read as at"
  print "least ×" clearly " (ZAPH_BENCH_CLEARLY), in instructions at every grid point and in time at every timed point."

  print ""
  print "### Requests touching K of N ops, each entered 1..M times (uniformly); per request, instructions (callgrind)"
  print ""
  print "| compiler | N | K | M | entries/request | base instr/request | zaph instr/request | extra/request | extra/entry | of which begin+end | continuous instr/request | continuous extra/request | continuous extra/entry | continuous/memory extra |"
  print "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
  printf "%s", g
  print ""
  print "extra/entry is extra/request (begin and end included) over entries/request; " cgr " requests per run."

  if (!reps) exit 0
  print ""
  print "### Time: " timer " requests per run, " reps " interleaved runs, at " np " point" (np > 1 ? "s" : "") " (N ops, K per request, 1..M entries each)"
  print ""
  print "| N | K | M | compiler | variant | ns/request (median) | min–max | ratio to base (median) | min–max | extra ns/entry (median) |"
  print "|---|---|---|---|---|---|---|---|---|---|"
  split("base zaph cont", VAR, " ")
  for (tp = 0; tp < np; tp++) {
    split(TP[tp + 1], nkm, " ")
    eprs = eprs (tp ? ", " : "") sprintf("%.1f", epr[tp " " L[1]]) " at N=" nkm[1] " K=" nkm[2] " M=1.." nkm[3]
    for (i = 1; i <= nl; i++) {
      v = L[i]
      for (j = 1; j <= 3; j++) {
        var = VAR[j]
        for (r = 0; r < reps; r++) ns[r + 1] = t[tp " " v " " var, r]
        per_rep(tp, v, var, "ratio", rt); per_rep(tp, v, var, "extra", ex)
        printf "| %d | %d | 1..%d | %s | %s | %.1f | %.1f–%.1f | %.3f | %.3f–%.3f | %+.2f |\n", nkm[1], nkm[2], nkm[3], cname(v),
          var == "cont" ? "zaph, continuous" : var == "zaph" ? "zaph, memory" : "base",
          median(ns, reps), minof(ns, reps), maxof(ns, reps), median(rt, reps), minof(rt, reps), maxof(rt, reps), median(ex, reps)
      }
    }
  }
  print ""
  printf "Ratios are taken within each repetition and point (the three variants run back to back); entries per request: %s.\n", eprs
}
