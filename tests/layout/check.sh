#!/usr/bin/env bash
# The house rules the compiler cannot see (bot/README.md): no file under bot/ over 450 lines, and
# no feature includes another feature's folder (what they share is in bot/features/*.hpp).
# The layers themselves are enforced by the build (bot/CMakeLists.txt).
set -euo pipefail
bot="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../bot" && pwd)"
status=0
while read -r lines file; do
  [ "$file" = total ] && continue
  if [ "$lines" -gt 450 ]; then echo "$file: $lines lines (at most 450)"; status=1; fi
done < <(find "$bot" -name '*.cpp' -o -name '*.hpp' | xargs wc -l)
for dir in "$bot"/features/*/; do
  feature="$(basename "$dir")"
  while IFS= read -r hit; do
    echo "$hit: a feature reads another feature's folder"
    status=1
  done < <(grep -Hn '#include "features/[a-z_]*/' "$dir"*.?pp | grep -v "\"features/$feature/" || true)
done
[ "$status" -eq 0 ] && echo "layout: ok"
exit "$status"
