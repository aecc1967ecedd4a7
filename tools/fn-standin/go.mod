// Stand-ins for Fn servers that cannot be had for real (see NOTES in
// tools/fnserver). Test/playground infrastructure only: never shipped in the VSIX.
module fnmesh.test/tools/fn-standin

go 1.26
