// Evidence discovery: turns what the analyst points regpersist at — a disk image (raw, split raw,
// E01, VHD, VHDX, VMDK, qcow2), a folder tree (a mounted image or a triage collection such as KAPE
// output) or loose hive files — into Windows installations with their machine hives, their users'
// hives and every hive's transaction logs, read into memory (nothing is mounted or extracted).
//
// How each kind is recognised:
//  - a directory is searched (case-insensitively, a few levels deep) for installation roots: folders
//    holding Windows\System32\config or Users\<name>\NTUSER.DAT; without any, the hive files found in
//    it are grouped as loose files;
//  - a file starting with "regf" is a loose hive; its type comes from its content (root-key layout),
//    never from its name; its .LOG/.LOG1/.LOG2 siblings (any case) travel with it;
//  - any other file is opened as a disk image; every volume is visited (MBR incl. extended, GPT, or
//    none); NTFS volumes are searched, others are skipped with a diagnostic naming them, BitLocker
//    volumes are reported as encrypted.
// Problems never stop discovery: they become diagnostics naming the evidence, and whatever else is
// readable is still returned.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "regpersist/error.h"
#include "regpersist/evidence.h"

namespace regpersist {

// What discovery is doing right now, for a progress line on a terminal or a wrapper's progress events.
struct DiscoveryProgress {
  std::string evidence;  // the path the user gave
  std::string step;      // for a terminal: "NTFS volume 2 (offset 1048576)", "disk.E01:vol2:/Windows/…/SOFTWARE"
  std::string volume;    // "volume 2 (offset 1048576)" inside an image; empty for folders and files
  std::string hive;      // the hive or log file being read (its path inside the volume); empty when a
                         // volume is opened
  std::uint64_t bytes_done = 0;   // of the file being read (0 when not reading)
  std::uint64_t bytes_total = 0;  // its size
};

struct DiscoveryOptions {
  // Called at each volume and while each hive or log is read; empty = no progress reporting.
  std::function<void(const DiscoveryProgress&)> progress;
  // Files larger than this are not read into memory (error diagnostic); real hives stay far below.
  std::uint64_t max_file_bytes = std::uint64_t{4} << 30;
};

// One piece of evidence: an image, a folder or a single hive file. Returns one Installation per
// Windows installation (or per group of loose hives); an empty vector when nothing usable was found
// (the reason is in `diagnostics`).
std::vector<Installation> discover_evidence(const std::string& evidence_path, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options = {});

// Several pieces of evidence at once. Loose hive files given separately are grouped by folder: the
// SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT and Amcache hives of one folder form one Installation (by
// content type; a second hive of the same type starts another Installation of that folder), each
// NTUSER.DAT is one user together with the UsrClass.dat of the same folder (when that folder holds one
// of each), and transaction logs given explicitly join their primary instead of being reported.
// Images and folders are discovered as above, in argument order; the loose-file groups come last.
std::vector<Installation> discover_evidence(const std::vector<std::string>& evidence_paths, Diagnostics& diagnostics,
                                            const DiscoveryOptions& options = {});

// Transaction logs named by the user (`--log FILE`) joined to discovered hives: each log joins the hives whose
// file name it extends (SYSTEM.LOG1 → SYSTEM, any case), else every dirty hive (a replay ignores, with a
// diagnostic, a log written for another hive). A log that cannot be read or joins no hive is reported.
void attach_logs(std::vector<Installation>& installations, const std::vector<std::string>& log_files,
                 Diagnostics& diagnostics);

// Every hive of an installation with the role it plays there, in a stable order: machine hives
// (SYSTEM, SOFTWARE, SAM, SECURITY, DEFAULT, AMCACHE), RegBack copies, each user's NTUSER and USRCLASS,
// then OTHER loose hives. Pointers stay valid while the Installation lives.
struct InstalledHive {
  std::string role;
  const UserHives* user = nullptr;  // for NTUSER and USRCLASS
  const HiveSource* hive = nullptr;
};
std::vector<InstalledHive> installation_hives(const Installation& installation);

}  // namespace regpersist
