#!/usr/bin/env bash
# humanoid_paper_compare.sh FRONT.csv — the paper's humanoid front points next
# to ours at the same λ, as a markdown table on stdout.
#
# FRONT.csv is `rsoup front`'s output for the experiments/humanoid_paper.json
# run (objectives risky and cautious; soup label = λ, the cautious expert's
# weight, so λ = 0 is the risky expert, as in the paper). The paper's points
# were read off its humanoid figure (Brax; returns include Brax's alive
# bonus and velocity weight), so raw numbers do not compare: the table also
# puts both fronts in the experts' own frame, where on each axis the expert
# of the other reward is 0 and the expert of that reward is 1 (the straight
# line between the experts is then (1 − λ, λ)). Intervals are 95 % normal
# intervals of the episode mean (1.96 · std / √episodes); in the normalised
# columns only the soup's own interval is carried (the experts are taken as
# exact). The paper gives no intervals. Where the front has term columns, a
# second table gives every term's return (unweighted, per episode) for the
# init, the experts, the MORL runs and the soups at λ = 0, 0.25, 0.5, 0.75, 1.
set -euo pipefail
f=${1:?usage: humanoid_paper_compare.sh FRONT.csv}
[ -r "$f" ] || { echo "humanoid_paper_compare.sh: cannot read $f" >&2; exit 1; }
awk -F, '
BEGIN {
    # the paper: lambda -> (risky, cautious)
    np = split("0 0.3 0.5 0.7 1", pl, " ")
    pr[0] = 6447; pc[0] = 1461; pr[0.3] = 6600; pc[0.3] = 2830; pr[0.5] = 6265; pc[0.5] = 3319
    pr[0.7] = 6040; pc[0.7] = 3766; pr[1] = 5664; pc[1] = 4062
}
/^#/ { next }
$1 == "kind" {
    for (i = 1; i <= NF; i++) { col[$i] = i; name[i] = $i }
    ncol = NF
    if (!("obj:risky" in col) || !("obj:cautious" in col)) {
        print "humanoid_paper_compare.sh: no obj:risky / obj:cautious columns" > "/dev/stderr"
        bad = 1; exit 1
    }
    next
}
$1 == "init" || $1 == "expert" || $1 == "baseline" || ($1 == "soup" && index(" 0 0.25 0.5 0.75 1 ", " " ($2 + 0) " ")) {
    # the rows of the terms table: init, experts, MORL runs, five soups
    rows[++nrows] = ($1 == "soup" ? "soup λ = " $2 : $1 == "baseline" ? "MORL " $2 : $2)
    for (i = 1; i <= NF; i++) cell[nrows, i] = $i
    rep[nrows] = $(col["episodes"])
}
$1 == "soup" {
    l = $2 + 0; n = $(col["episodes"])
    r[l] = $(col["obj:risky"]); c[l] = $(col["obj:cautious"])
    hr[l] = 1.96 * $(col["std:risky"]) / sqrt(n); hc[l] = 1.96 * $(col["std:cautious"]) / sqrt(n)
    have[l] = 1; eps = n
}
END {
    if (bad) exit 1
    if (!(0 in have) || !(1 in have)) {
        print "humanoid_paper_compare.sh: the front has no soups at lambda 0 and 1" > "/dev/stderr"
        exit 1
    }
    gr = r[0] - r[1]; gc = c[1] - c[0]; pgr = pr[0] - pr[1]; pgc = pc[1] - pc[0]
    printf "| λ | paper (risky, cautious) | ours (risky, cautious), %d episodes | paper, normalised | ours, normalised | line |\n", eps
    printf "|---|---|---|---|---|---|\n"
    for (k = 1; k <= np; k++) {
        l = pl[k] + 0
        if (!(l in have)) { printf "| %s | (%d, %d) | not evaluated | | | |\n", pl[k], pr[l], pc[l]; continue }
        printf "| %s | (%d, %d) | (%.0f ± %.0f, %.0f ± %.0f) | (%.2f, %.2f) | (%.2f ± %.2f, %.2f ± %.2f) | (%.2f, %.2f) |\n",
            pl[k], pr[l], pc[l], r[l], hr[l], c[l], hc[l],
            (pr[l] - pr[1]) / pgr, (pc[l] - pc[0]) / pgc,
            (r[l] - r[1]) / gr, hr[l] / (gr < 0 ? -gr : gr), (c[l] - c[0]) / gc, hc[l] / (gc < 0 ? -gc : gc),
            1 - l, l
    }
    printf "\nExpert gaps (risky expert − cautious expert on risky; cautious − risky on cautious): paper (%d, %d), ours (%.0f, %.0f).\n", pgr, pgc, gr, gc
    if (gr <= 0 || gc <= 0)
        printf "Warning: an expert gap is not positive: on that axis the experts do not trade off, and the normalised columns mean little.\n"
    # the best soup above the line: the largest min of the two normalised gains
    best = -1e30
    for (l in have) {
        if (l + 0 <= 0 || l + 0 >= 1) continue
        ur = (r[l] - r[1]) / gr - (1 - l); uc = (c[l] - c[0]) / gc - l
        m = ur < uc ? ur : uc
        if (m > best) { best = m; bl = l; bur = ur; buc = uc }
    }
    if (best > -1e30)
        printf "Our soup furthest above the line on both axes: λ = %s, (%+.2f, %+.2f) of the gaps (paper at λ = 0.5: (%+.2f, %+.2f)).\n",
            bl, bur, buc, (pr[0.5] - pr[1]) / pgr - 0.5, (pc[0.5] - pc[0]) / pgc - 0.5
    # the return of each term (unweighted, summed over an episode), where the
    # front has term columns: mean ± 95 % interval of the episode mean
    nt = 0
    for (i = 1; i <= ncol; i++)
        if (substr(name[i], 1, 5) == "term:" && ("termstd:" substr(name[i], 6)) in col) tn[++nt] = substr(name[i], 6)
    if (nt == 0) exit 0
    printf "\nReturn of every term per episode (unweighted sums; mean ± 95 %% interval over the episodes):\n\n| point |"
    for (t = 1; t <= nt; t++) printf " %s |", tn[t]
    if ("length" in col) printf " length |"
    printf "\n|---|"
    for (t = 1; t <= nt; t++) printf "---|"
    if ("length" in col) printf "---|"
    printf "\n"
    for (k = 1; k <= nrows; k++) {
        printf "| %s |", rows[k]
        for (t = 1; t <= nt; t++)
            printf " %s ± %s |", fmt(cell[k, col["term:" tn[t]]]),
                fmt(1.96 * cell[k, col["termstd:" tn[t]]] / sqrt(rep[k]))
        if ("length" in col) printf " %.0f |", cell[k, col["length"]]
        printf "\n"
    }
}
# whole numbers from 100 to 1e6, 3 significant digits otherwise
function fmt(v,   a) {
    a = v < 0 ? -v : v
    if (a >= 1e6) return sprintf("%.3g", v)
    if (a >= 100) return sprintf("%.0f", v)
    return sprintf("%.3g", v)
}' "$f"
