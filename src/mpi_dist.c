/*
 * mpi_dist.c — dist.h with MPI (the MPI program, `make MPI=1`).
 *
 * MPI is started when a launcher started the process (run directly, the
 * MPI program is the serial one), with MPI_THREAD_FUNNELED: OpenMP
 * threads compute, and
 * only the thread that started MPI calls it (the analysis calls it
 * between its parallel loops, or from `omp master`). `analyze` and
 * `validate` are shared among the ranks; every other command runs on rank
 * 0 while the others wait for its exit status, sleeping rather than
 * spinning (they would take a core from rank 0 on a small machine).
 */
#define _GNU_SOURCE
#include "mpi_internal.h"

#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef _OPENMP
#include <omp.h>
#endif

/* Bytes per MPI call: well below the int limit of MPI counts. */
#define PIECE ((size_t)1 << 30)

struct ds_dist {
    MPI_Comm comm;
    int rank, size;
};

static struct ds_dist world;
static int started;     /* MPI is running */
static int shared;      /* this command is shared among the ranks */
static int local_ranks = 1;

/* The commands whose work is shared among the ranks. */
static const char *const shared_commands[] = {"analyze", "validate",
                                              "power"};

MPI_Comm ds_dist_comm(const ds_dist_t *d)
{
    return d ? d->comm : MPI_COMM_SELF;
}

int ds_dist_fault_here(void)
{
    const char *r = getenv("DYADSEQ_FAULT_RANK");
    return !r || !started || atoi(r) == world.rank;
}

/* Standard output and error of this rank to /dev/null. */
static void silence(void)
{
    fflush(NULL);
    int fd = open("/dev/null", O_WRONLY);
    if (fd < 0)
        return;
    dup2(fd, STDOUT_FILENO);
    dup2(fd, STDERR_FILENO);
    close(fd);
}

/* Whether a launcher (mpirun, mpiexec, srun) started this process: run
 * directly, the program is the serial one and does not start MPI (which
 * takes half a second alone). */
static int launched(void)
{
    static const char *const vars[] = {"OMPI_COMM_WORLD_SIZE", "PMI_SIZE",
                                       "PMIX_RANK", "PMI_RANK",
                                       "MPI_LOCALNRANKS"};
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (getenv(vars[i]))
            return 1;
    return 0;
}

/* CPUs process pid may run on (0: this one); 0 when not known. */
static int cpus_of(pid_t pid)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    return sched_getaffinity(pid, sizeof set, &set) == 0 ? CPU_COUNT(&set)
                                                          : 0;
}

/* The parent of process pid and its command name (comm, 16 bytes);
 * 0 when it cannot be read. */
static pid_t parent_of(pid_t pid, char *comm)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%ld/stat", (long)pid);
    FILE *fp = fopen(path, "r");
    size_t n = fp ? fread(buf, 1, sizeof buf - 1, fp) : 0;
    if (fp)
        fclose(fp);
    buf[n] = '\0';
    /* "pid (comm) state ppid ...": comm may hold spaces and parentheses */
    char *open = strchr(buf, '('), *close = strrchr(buf, ')');
    long ppid = 0;
    if (!open || !close || close < open ||
        sscanf(close + 1, " %*c %ld", &ppid) != 1)
        return 0;
    size_t len = (size_t)(close - open - 1);
    if (len > 15)
        len = 15;
    memcpy(comm, open + 1, len);
    comm[len] = '\0';
    return (pid_t)ppid;
}

/* The CPUs Open MPI's launcher on this machine (mpirun, or its daemon
 * on another machine) may run on: it is not bound itself. 0 when this
 * process is not below one. */
static int launcher_cpus(void)
{
    static const char *const names[] = {"mpirun", "mpiexec", "orterun",
                                        "orted", "prterun", "prted"};
    char comm[16];
    pid_t pid = getppid();
    for (int depth = 0; pid > 1 && depth < 8; depth++) {
        pid_t up = parent_of(pid, comm);
        for (size_t i = 0; i < sizeof names / sizeof *names; i++)
            if (strcmp(comm, names[i]) == 0)
                return cpus_of(pid);
        pid = up;
    }
    return 0;
}

/*
 * Open MPI's mpirun binds each process it starts to one core when it
 * starts one or two on a machine (to a socket or NUMA domain when more),
 * and the process's threads (by default as many as it may use) then
 * share that: say so when the processes on this machine may use fewer
 * cores than mpirun itself may. Not under -q; srun gives its tasks the
 * cores Slurm allocated them.
 */
static void note_binding(int argc, char **argv)
{
    const char *bound = getenv("OMPI_MCA_orte_bound_at_launch");
    if (!bound || strcmp(bound, "1") != 0)
        return;
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "-q") == 0 || strcmp(argv[i], "--quiet") == 0)
            return;
    int mine = cpus_of(0), all = launcher_cpus();
    if (mine <= 0 || all <= 0 || (long)mine * local_ranks >= all)
        return;
    if (local_ranks == 1)
        fprintf(stderr, "dyadseq: note: mpirun bound this process to %d of "
                        "the %d cores it may use; mpirun --bind-to none, or "
                        "--map-by slot:PE=N for N cores a process, lets its "
                        "threads use them\n", mine, all);
    else
        fprintf(stderr, "dyadseq: note: mpirun bound each of the %d "
                        "processes on this machine to %d core(s), %d of the "
                        "%d they may use; mpirun --bind-to none, or "
                        "--map-by slot:PE=N for N cores a process, lets "
                        "their threads use them\n",
                local_ranks, mine, mine * local_ranks, all);
}

int ds_dist_start(int *argc, char ***argv, const char *command)
{
    int provided;
    if (!launched())
        return 1;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) !=
        MPI_SUCCESS)
        return 1; /* MPI refused: the default handler has said why */
    started = 1;
    MPI_Comm_dup(MPI_COMM_WORLD, &world.comm);
    MPI_Comm_rank(world.comm, &world.rank);
    MPI_Comm_size(world.comm, &world.size);
    MPI_Comm node;
    if (MPI_Comm_split_type(world.comm, MPI_COMM_TYPE_SHARED, world.rank,
                            MPI_INFO_NULL, &node) == MPI_SUCCESS) {
        MPI_Comm_size(node, &local_ranks);
        MPI_Comm_free(&node);
    }
    int threaded = 0; /* a command whose work takes threads */
    for (size_t i = 0; command && i < sizeof shared_commands /
                                           sizeof *shared_commands; i++)
        if (strcmp(command, shared_commands[i]) == 0)
            threaded = 1;
    shared = threaded && world.size > 1;
    if (world.rank != 0)
        silence();
    else if (threaded)
        note_binding(*argc, *argv);
#ifdef _OPENMP
    /* OpenMP's default (all cores) shared among the ranks of a machine */
    if (!getenv("OMP_NUM_THREADS"))
        omp_set_num_threads(ds_dist_cores());
#endif
    if (world.size > 1 && !shared && world.rank == 0 && command &&
        command[0] != '-' && *command)
        fprintf(stderr, "dyadseq: note: '%s' runs on one process (rank 0 "
                        "of %d); only analyze, validate and power are shared "
                        "among MPI processes\n", command, world.size);
    return shared || world.rank == 0;
}

/* Wait for rank 0's status without spinning on a core. */
static int wait_status(int status)
{
    MPI_Request req;
    MPI_Ibcast(&status, 1, MPI_INT, 0, world.comm, &req);
    int done = 0;
    while (!done) {
        MPI_Test(&req, &done, MPI_STATUS_IGNORE);
        if (!done) {
            struct timespec ts = {0, 5000000}; /* 5 ms */
            nanosleep(&ts, NULL);
        }
    }
    return status;
}

int ds_dist_finish(int status)
{
    if (!started)
        return status;
    int out = status;
    if (shared)
        MPI_Allreduce(&status, &out, 1, MPI_INT, MPI_MAX, world.comm);
    else if (world.size > 1)
        out = wait_status(status);
    fflush(NULL);
    MPI_Comm_free(&world.comm);
    MPI_Finalize();
    return out;
}

const ds_dist_t *ds_dist_world(void)
{
    return shared ? &world : NULL;
}

int ds_dist_rank(const ds_dist_t *d)
{
    return d ? d->rank : 0;
}

int ds_dist_size(const ds_dist_t *d)
{
    return d ? d->size : 1;
}

int ds_dist_cores(void)
{
#ifdef _OPENMP
    int n = omp_get_num_procs() / (local_ranks > 0 ? local_ranks : 1);
    return n > 0 ? n : 1;
#else
    return 1;
#endif
}

int ds_dist_agree(const ds_dist_t *d, int rc, ds_error_t *err)
{
    if (!d)
        return rc;
    int mine = rc ? d->rank : d->size, first;
    MPI_Allreduce(&mine, &first, 1, MPI_INT, MPI_MIN, d->comm);
    if (first == d->size)
        return 0;
    struct {
        int rc, code;
        char msg[DS_ERROR_MSG_MAX];
    } m;
    memset(&m, 0, sizeof m);
    if (d->rank == first) {
        m.rc = rc;
        if (err) {
            m.code = err->code;
            memcpy(m.msg, err->msg, sizeof m.msg);
        }
    }
    MPI_Bcast(&m, (int)sizeof m, MPI_BYTE, first, d->comm);
    if (err) {
        err->code = m.code;
        memcpy(err->msg, m.msg, sizeof err->msg);
        err->msg[sizeof err->msg - 1] = '\0';
    }
    return m.rc;
}

int ds_dist_sum_i64(const ds_dist_t *d, int64_t *v, size_t n,
                    ds_error_t *err)
{
    (void)err; /* MPI's errors are fatal (its default handler) */
    for (size_t off = 0; d && off < n; off += PIECE / 8) {
        size_t k = n - off < PIECE / 8 ? n - off : PIECE / 8;
        MPI_Allreduce(MPI_IN_PLACE, v + off, (int)k, MPI_INT64_T, MPI_SUM,
                      d->comm);
    }
    return DS_OK;
}

size_t ds_dist_max(const ds_dist_t *d, size_t v)
{
    if (!d)
        return v;
    unsigned long long in = v, out;
    MPI_Allreduce(&in, &out, 1, MPI_UNSIGNED_LONG_LONG, MPI_MAX, d->comm);
    return (size_t)out;
}

int ds_dist_bcast(const ds_dist_t *d, int root, void *buf, size_t n,
                  ds_error_t *err)
{
    (void)err;
    unsigned char *p = buf;
    for (size_t off = 0; d && off < n; off += PIECE) {
        size_t k = n - off < PIECE ? n - off : PIECE;
        MPI_Bcast(p + off, (int)k, MPI_BYTE, root, d->comm);
    }
    return DS_OK;
}

int ds_dist_allgather(const ds_dist_t *d, const void *mine, size_t n,
                      unsigned char **all, size_t *len, ds_error_t *err)
{
    int P = ds_dist_size(d), me = ds_dist_rank(d);
    unsigned long long *l = malloc((size_t)P * sizeof *l), mn = n;
    *all = NULL;
    int rc = l ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(d, rc, err))) {
        free(l);
        return rc;
    }
    if (d)
        MPI_Allgather(&mn, 1, MPI_UNSIGNED_LONG_LONG, l, 1,
                      MPI_UNSIGNED_LONG_LONG, d->comm);
    else
        l[0] = mn;
    size_t total = 0;
    for (int r = 0; r < P; r++)
        total += (size_t)(len[r] = (size_t)l[r]);
    free(l);
    *all = malloc(total ? total : 1);
    rc = *all ? DS_OK : ds_error_set(err, DS_ENOMEM, "out of memory");
    if ((rc = ds_dist_agree(d, rc, err))) {
        free(*all);
        *all = NULL;
        return rc;
    }
    size_t off = 0;
    for (int r = 0; r < P; r++) {
        if (r == me && n)
            memcpy(*all + off, mine, n);
        ds_dist_bcast(d, r, *all + off, len[r], err);
        off += len[r];
    }
    return DS_OK;
}

int ds_dist_gather_cols(const ds_dist_t *d, void *v, size_t size,
                        size_t rows, size_t cols, const size_t *bounds,
                        ds_error_t *err)
{
    if (!d)
        return DS_OK;
    int P = d->size;
    size_t lo = bounds[d->rank], hi = bounds[d->rank + 1], w = hi - lo;
    unsigned char *mine = malloc(rows * w * size + 1), *all = NULL;
    size_t *len = malloc((size_t)P * sizeof *len);
    int rc = mine && len ? DS_OK
                         : ds_error_set(err, DS_ENOMEM, "out of memory");
    unsigned char *a = v;
    for (size_t i = 0; !rc && i < rows; i++)
        memcpy(mine + i * w * size, a + (i * cols + lo) * size, w * size);
    if (!(rc = ds_dist_agree(d, rc, err)))
        rc = ds_dist_allgather(d, mine, rows * w * size, &all, len, err);
    for (int r = 0, off = 0; !rc && r < P; r++) {
        size_t rl = bounds[r], rw = bounds[r + 1] - rl;
        for (size_t i = 0; i < rows; i++)
            memcpy(a + (i * cols + rl) * size,
                   all + off + i * rw * size, rw * size);
        off += (int)len[r];
    }
    free(mine);
    free(len);
    free(all);
    return rc;
}
