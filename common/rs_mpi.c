/* rs_mpi.c — MPI wrapper (see rs_mpi.h). */
#include "rs_mpi.h"
#include "rs_common.h"

#include <stdlib.h>
#include <string.h>

extern char **environ;

int rs_mpi_launched(void) {
    return getenv("OMPI_COMM_WORLD_SIZE") || getenv("PMIX_RANK") || getenv("PMI_RANK");
}

void rs_mpi_scrub_env(void) {
    /* collect first: unsetenv shifts environ under our feet */
    char *names[512];
    int n = 0;
    for (char **e = environ; *e && n < 512; e++)
        if (!strncmp(*e, "OMPI_", 5) || !strncmp(*e, "PMIX_", 5) || !strncmp(*e, "PMI_", 4)) {
            const char *eq = strchr(*e, '=');
            size_t len = eq ? (size_t)(eq - *e) : strlen(*e);
            names[n] = malloc(len + 1);
            memcpy(names[n], *e, len);
            names[n][len] = 0;
            n++;
        }
    for (int i = 0; i < n; i++) {
        unsetenv(names[i]);
        free(names[i]);
    }
}

#ifdef RSOUP_HAVE_MPI
#include <mpi.h>

static int g_init = 0, g_rank = 0, g_size = 1;
static double g_comm_s = 0;

void rs_mpi_init(int *argc, char ***argv) {
    if (g_init || !rs_mpi_launched()) return;
    int flag = 0;
    MPI_Initialized(&flag);
    if (!flag) MPI_Init(argc, argv);
    MPI_Comm_rank(MPI_COMM_WORLD, &g_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &g_size);
    g_init = 1;
}

void rs_mpi_finalize(void) {
    if (g_init) MPI_Finalize();
    g_init = 0;
}

int rs_mpi_rank(void) { return g_rank; }
int rs_mpi_size(void) { return g_size; }
int rs_mpi_active(void) { return g_init && g_size > 1; }
double rs_mpi_time_in_comm(void) { return g_comm_s; }

void rs_mpi_sum_f32(float *x, size_t n) {
    if (!rs_mpi_active()) return;
    double t = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, x, (int)n, MPI_FLOAT, MPI_SUM, MPI_COMM_WORLD);
    g_comm_s += MPI_Wtime() - t;
}

void rs_mpi_sum_f64(double *x, size_t n) {
    if (!rs_mpi_active()) return;
    double t = MPI_Wtime();
    MPI_Allreduce(MPI_IN_PLACE, x, (int)n, MPI_DOUBLE, MPI_SUM, MPI_COMM_WORLD);
    g_comm_s += MPI_Wtime() - t;
}

void rs_mpi_bcast_f32(float *x, size_t n, int root) {
    if (!rs_mpi_active()) return;
    double t = MPI_Wtime();
    MPI_Bcast(x, (int)n, MPI_FLOAT, root, MPI_COMM_WORLD);
    g_comm_s += MPI_Wtime() - t;
}

void rs_mpi_barrier(void) {
    if (rs_mpi_active()) MPI_Barrier(MPI_COMM_WORLD);
}

int rs_mpi_send_text(const char *text, int dest, int tag) {
    if (!g_init) return -1;
    return MPI_Send(text, (int)strlen(text) + 1, MPI_CHAR, dest, tag, MPI_COMM_WORLD) == MPI_SUCCESS ? 0 : -1;
}

int rs_mpi_recv_text(char *buf, int cap, int *tag) {
    MPI_Status st;
    MPI_Recv(buf, cap, MPI_CHAR, MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &st);
    buf[cap - 1] = 0;
    if (tag) *tag = st.MPI_TAG;
    return st.MPI_SOURCE;
}

int rs_mpi_poll_text(char *buf, int cap, int *sender, int *tag) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
    if (!flag) return 0;
    MPI_Recv(buf, cap, MPI_CHAR, st.MPI_SOURCE, st.MPI_TAG, MPI_COMM_WORLD, &st);
    buf[cap - 1] = 0;
    *sender = st.MPI_SOURCE;
    *tag = st.MPI_TAG;
    return 1;
}

#else /* one process */

void rs_mpi_init(int *argc, char ***argv) {
    (void)argc;
    (void)argv;
}
void rs_mpi_finalize(void) {}
int rs_mpi_rank(void) { return 0; }
int rs_mpi_size(void) { return 1; }
int rs_mpi_active(void) { return 0; }
double rs_mpi_time_in_comm(void) { return 0; }
void rs_mpi_sum_f32(float *x, size_t n) {
    (void)x;
    (void)n;
}
void rs_mpi_sum_f64(double *x, size_t n) {
    (void)x;
    (void)n;
}
void rs_mpi_bcast_f32(float *x, size_t n, int root) {
    (void)x;
    (void)n;
    (void)root;
}
void rs_mpi_barrier(void) {}
int rs_mpi_send_text(const char *text, int dest, int tag) {
    (void)text;
    (void)dest;
    (void)tag;
    rs_set_error("built without MPI");
    return -1;
}
int rs_mpi_recv_text(char *buf, int cap, int *tag) {
    (void)cap;
    buf[0] = 0;
    if (tag) *tag = 0;
    return -1;
}
int rs_mpi_poll_text(char *buf, int cap, int *sender, int *tag) {
    (void)buf;
    (void)cap;
    (void)sender;
    (void)tag;
    return 0;
}
#endif
