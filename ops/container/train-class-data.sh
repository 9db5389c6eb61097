#!/bin/sh
# Builds the image's class-data-sharing archive (AppCDS, JDK 17): one training start of every role
# (space.mission.control.ClassDataTraining: a cluster of one on an embedded MariaDB, a client's first
# requests, a stop) under -XX:ArchiveClassesAtExit, so the JVM writes every class it loaded to ARCHIVE
# as it exits. The ENTRYPOINT maps that archive: a start then skips finding, parsing and verifying
# those classes in the 200 MB jar (a status restart: 3.6 s to ready without, 2.5 s with; BENCHMARKS.md).
# It runs on the JVM that will use the archive (a JVM of another build ignores it), and last checks
# that the archive maps for the jar as the ENTRYPOINT starts it, so an image never ships one unused.
#   train-class-data.sh JAR ARCHIVE
set -eu
[ $# -eq 2 ] || { echo "usage: train-class-data.sh JAR ARCHIVE" >&2; exit 2; }
jar=$1
archive=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# the dynamic archive extends the JVM's default one: a JRE shipped without it gets it made first
java -Xshare:on -version > /dev/null 2>&1 || java -Xshare:dump > /dev/null
# A heap under 32 GiB whatever the build host's memory: an archive made with compressed object
# pointers is used only by JVMs that have them, as every container below 45 GiB does.
# The classes CDS cannot keep (JFR events, reflection stubs of old class versions) are skipped with a
# warning each: left out of the log, as they change nothing.
MC_LOG_LEVEL=${MC_LOG_LEVEL:-WARN} java -Xmx1g -Xlog:cds=error -XX:ArchiveClassesAtExit="$archive" \
  -cp "$jar" space.mission.control.ClassDataTraining "$work/training"
if ! java -Xshare:on -XX:SharedArchiveFile="$archive" -XX:+PrintSharedArchiveAndExit -jar "$jar" > "$work/check.log" 2>&1 \
   || ! grep -qx 'archive is valid' "$work/check.log"; then
  cat "$work/check.log" >&2
  echo "train-class-data.sh: $archive does not map for $jar" >&2
  exit 1
fi
echo "train-class-data.sh: $archive, $(du -m "$archive" | cut -f1) MiB, $(sed -n '/^Dynamic archive name/,$p' "$work/check.log" | grep -c '_loader$') classes"
