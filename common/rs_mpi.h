/* rs_mpi.h — the few MPI operations rsoup uses, behind one small interface.
 *
 * Built with MPI (RSOUP_HAVE_MPI), these call Open MPI; without it they are
 * the single-process identities, so the rest of the code never #ifdefs.
 * MPI is only initialised when the process was started by mpirun/srun (the
 * launcher's environment variables are present): a plain `rsoup` run, or a
 * job an experiment spawns, never touches MPI. */
#ifndef RS_MPI_H
#define RS_MPI_H

#include <stddef.h>

void rs_mpi_init(int *argc, char ***argv); /* idempotent; a no-op outside mpirun */
void rs_mpi_finalize(void);
int rs_mpi_rank(void);
int rs_mpi_size(void);
int rs_mpi_active(void); /* 1 when running under MPI with more than one rank */
int rs_mpi_launched(void); /* 1 when the environment says mpirun/srun started us */
/* in-place sums over all ranks (identity on one process) */
void rs_mpi_sum_f32(float *x, size_t n);
void rs_mpi_sum_f64(double *x, size_t n);
void rs_mpi_bcast_f32(float *x, size_t n, int root);
void rs_mpi_barrier(void);
double rs_mpi_time_in_comm(void); /* seconds spent inside collectives so far */

/* point-to-point text messages for the experiment work queue */
int rs_mpi_send_text(const char *text, int dest, int tag);
/* blocking receive from any rank; returns the sender, fills *tag; buf holds cap bytes */
int rs_mpi_recv_text(char *buf, int cap, int *tag);
/* non-blocking: 1 and fills buf/sender/tag if a message is waiting, else 0 */
int rs_mpi_poll_text(char *buf, int cap, int *sender, int *tag);
/* remove the launcher's variables so spawned children are plain processes */
void rs_mpi_scrub_env(void);

#endif
