#!/usr/bin/env bash
# Seeds fuzz/corpus/ from the example portal (content/, data/, site.toml). The corpora are
# generated, never committed: run this (run.sh does) after a fresh clone. Files the fuzzers
# added are kept; the seeds are rewritten.
set -euo pipefail
fuzz="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$fuzz")"
mkdir -p "$fuzz/corpus/frontmatter" "$fuzz/corpus/markdown" "$fuzz/corpus/site"

# frontmatter: every example content file, whole; markdown: the body after the front matter.
cd "$repo/content"
find . -name '*.md' | sort | while read -r f; do
    name="seed-$(echo "${f#./}" | tr '/' '_')"
    cp "$f" "$fuzz/corpus/frontmatter/$name"
    awk 'n >= 2 { print } /^\+\+\+[[:space:]]*$/ { n++ }' "$f" > "$fuzz/corpus/markdown/$name"
done
cp "$fuzz/corpus/frontmatter/seed-how-to-write.md" "$fuzz/corpus/markdown/seed-whole-how-to-write.md"
# The Markdown extensions herald turns on, which the example uses little.
printf '%s\n' '# Title {#top .wide lang=fr}' '' '| a | b |' '|:--|--:|' '| 1 | 2 |' '' \
    'Text[^1] ~~old~~ "quoted" -- dash.' '' '[^1]: A note.' '' '- [x] done' '- [ ] not yet' '' \
    '<details><summary>More</summary><b onclick="x()">raw</b></details>' '' \
    '![photo](photo.jpg "t") [page](@/improvements/faster-refunds.md#x) <https://a.example/>' \
    > "$fuzz/corpus/markdown/seed-extensions"

# site: a few small portals in the site target's format, `%%% PATH` then the file. Links to
# content outside the seed point at about.md, so that each seed builds.
site_seed() {
    local out="$fuzz/corpus/site/seed-$1"
    shift
    : > "$out"
    local f
    for f in "$@"; do
        printf '%%%%%% %s\n' "${f#content/}" >> "$out"
        sed -e 's#(@/[^)]*)#(@/about.md)#g' "$repo/$f" >> "$out"
    done
}
cd "$repo"
site_seed refunds site.toml data/metrics.toml data/retention.csv content/about.md \
    content/improvements/faster-refunds.md content/roadmap/refunds-in-days.md \
    content/recognitions/the-eight-lost-days.md content/announcements/champion-nominations-open.md
site_seed bills site.toml content/about.md content/improvements/bills-you-can-read.md \
    content/roadmap/plain-language-bills.md content/recognitions/bill-rewrite-crew.md \
    content/improvements/large-print-braille-audio-bills.md \
    content/roadmap/accessible-letters-and-web.md content/recognitions/first-braille-bill.md \
    content/announcements/storm-phones-all-hands.md
site_seed bundle site.toml content/about.md content/how-to-write.md \
    content/improvements/technician-on-the-way/index.md \
    content/improvements/technician-on-the-way/photo.svg \
    content/roadmap/two-hour-appointments.md content/improvements/two-hour-windows-metro.md \
    content/recognitions/on-the-way-pilot-techs.md
site_seed care site.toml content/about.md content/improvements/call-back-not-hold.md \
    content/recognitions/evening-callback-team.md content/improvements/medical-priority-calls.md \
    content/recognitions/medical-alarm-calls.md content/improvements/spanish-line.md \
    content/recognitions/spanish-line-agents.md content/recognitions/twenty-years-on-the-phones.md
# The minimal site.toml of the tests, with one improvement and one milestone.
printf '%s\n' '%%% improvements/faster-refunds.md' '+++' 'title = "Faster refunds"' \
    'date = 2026-01-05' 'teams = ["Billing"]' 'milestone = "plain-bills"' '+++' 'Text.' \
    '%%% roadmap/plain-bills.md' '+++' 'title = "Plain bills"' 'phase = "Year 1"' \
    'target = 2026-01-10' 'status = "planned"' 'owner = "Billing"' '[[tasks]]' \
    'team = "IT"' 'task = "Print"' 'due = 2026-01-03' '+++' 'Text.' \
    > "$fuzz/corpus/site/seed-minimal"

for t in frontmatter markdown site; do
    echo "seeded corpus/$t: $(find "$fuzz/corpus/$t" -type f | wc -l) files"
done
