#!/usr/bin/env bash
# Measures how faithfully the generated pages reproduce the real ones (README.md here).
#
#   tests/real-pages/measure.sh DOCS_GIT SCRATCH [DEFINITIONS_DIR]
#
# DOCS_GIT is a git directory of github.com/cyclr/docs; SCRATCH a directory outside the
# repository to build in (emptied first). It builds each real page with Jekyll and the test
# site of tests/jekyll-site/, checks that its units, less its defects, are still the
# committed <vendor>.units, then generates the definitions (DEFINITIONS_DIR, by default the
# page-*.yaml fixtures), builds them and prints the coverage table and what is missing.
set -euo pipefail
cd "$(dirname "$0")/../.."
docs_git=$1
scratch=$2
definitions=${3:-}

# vendor:real page's file name in the docs repository
pages="dynamics:dynamics-crm-online squareup:squareup akken:akken ebay:ebay"
real=pages/v2/05-application-connectors/authentication

rm -rf "$scratch"
site() {
  mkdir -p "$1/_layouts"
  cp tests/jekyll-site/_config.yml "$1/"
  cp tests/jekyll-site/_layouts/default.html "$1/_layouts/"
}
site "$scratch/real"
site "$scratch/generated"

cargo build -q --example real_pages
tool=${CARGO_TARGET_DIR:-target}/debug/examples/real_pages

for page in $pages; do
  git -C "$docs_git" show "HEAD:$real/${page#*:}.md" >"$scratch/real/${page#*:}.md"
done
jekyll build --quiet --source "$scratch/real" --destination "$scratch/real/_site"
for page in $pages; do
  vendor=${page%%:*}
  md="$scratch/real/${page#*:}.md"
  permalink=$(sed -n 's/^permalink: *//p' "$md" | head -1)
  "$tool" expect "$scratch/real/_site/$permalink.html" "$md" "tests/real-pages/$vendor.defects" \
    >"$scratch/$vendor.units"
  if ! diff -u "tests/real-pages/$vendor.units" "$scratch/$vendor.units"; then
    echo "tests/real-pages/$vendor.units is not what the real page gives (diff above)" >&2
    exit 1
  fi
done

if [ -z "$definitions" ]; then
  definitions="$scratch/definitions"
  mkdir -p "$definitions"
  for page in $pages; do
    cp "tests/fixtures/valid/page-${page%%:*}.yaml" "$definitions/"
  done
fi
cargo run -q -- generate "$definitions" --out "$scratch/out" --target docs >/dev/null
cp "$scratch"/out/docs/*.md "$scratch/generated/"
jekyll build --quiet --source "$scratch/generated" --destination "$scratch/generated/_site"
units=()
for page in $pages; do units+=("tests/real-pages/${page%%:*}.units"); done
"$tool" coverage "$scratch/generated/_site" "$scratch/out/docs" "${units[@]}" --missing
