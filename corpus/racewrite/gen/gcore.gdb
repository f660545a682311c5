# For the -gcore variant (corpus/lib.sh ms_run_gcore runs this before gcore):
# stop the process where the writer compares the 256 MiB keys inside the
# map write, with the map's writing flag set. runtime.memequal takes its
# length in rcx (ABIInternal: AX, BX, CX); no other call compares as much.
handle SIGURG nostop noprint pass
handle SIGPIPE nostop noprint pass
break runtime.memequal if $rcx > 1048576
continue
delete
