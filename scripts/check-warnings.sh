#!/usr/bin/env bash
# Fails when a build log ($1) has compiler warnings in this package's own Sources/ or Tests/
# (dependencies are not ours to fix). "No warnings" is a project rule.
set -euo pipefail
log=$1
root=$(pwd)
if grep -E "^${root}/(Sources|Tests)/.*: warning:" "$log" | sort -u; then
    echo "check-warnings: the build has warnings in Sources/ or Tests/ (listed above)" >&2
    exit 1
fi
