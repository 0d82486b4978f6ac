/* rs_frontplan.c — plan, resume and run one front evaluation (see the header) */
#include "rs_frontplan.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rs_fisher.h"
#include "rs_fronteval.h"
#include "rs_lattice.h"
#include "rs_lock.h"
#include "rs_progress.h"
#include "rs_provenance.h"
#include "rs_soup.h"

#define FP_MAX_EXPERTS 16

static void note(const rs_frontplan_req *q, const char *fmt, ...) RS_PRINTF(2, 3);
static void note(const rs_frontplan_req *q, const char *fmt, ...) {
    if (!q->log) return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(q->log, "%s: ", q->who);
    vfprintf(q->log, fmt, ap);
    va_end(ap);
}

/* the λ points: the rows of q->lambdas_file, else the simplex lattice */
static int plan_lambdas(const rs_frontplan_req *q, double **lam_out, int *n_out) {
    const int np = q->n_experts;
    const char *lf = q->lambdas_file;
    int n_pts = 0;
    double *lam = NULL;
    if (!lf) {
        n_pts = rs_lattice_count(np, q->grid - 1);
        if (n_pts < 0 || n_pts > 1000000) {
            rs_set_error("a grid of %d points per edge for %d experts is too large", q->grid, np);
            return -1;
        }
        lam = malloc(sizeof(double) * (size_t)n_pts * np);
        if (!lam) {
            rs_set_error("out of memory for %d grid points", n_pts);
            return -1;
        }
        rs_lattice_fill(np, q->grid - 1, lam);
        *lam_out = lam;
        *n_out = n_pts;
        return 0;
    }
    char *text = rs_read_file(lf, NULL);
    if (!text) {
        rs_set_error("--lambdas: %s", rs_last_error());
        return -1;
    }
    int cap = 64, line = 0;
    lam = malloc(sizeof(double) * (size_t)cap * np);
    if (!lam) {
        rs_set_error("out of memory");
        goto fail;
    }
    char *save = NULL;
    for (char *t = strtok_r(text, "\n", &save); t; t = strtok_r(NULL, "\n", &save)) {
        line++;
        while (*t == ' ')
            t++;
        if (!*t || *t == '#') continue;
        if (n_pts == cap) {
            double *more =
                cap < (1 << 24) ? realloc(lam, sizeof(double) * (size_t)cap * 2 * np) : NULL;
            if (!more) {
                rs_set_error("%s: too many λ rows (out of memory at %d)", lf, n_pts);
                goto fail;
            }
            lam = more;
            cap *= 2;
        }
        if (rs_soup_parse_lambda(t, np, lam + (size_t)n_pts * np) != 0) {
            rs_set_error("%s line %d: %s", lf, line, rs_last_error());
            goto fail;
        }
        n_pts++;
    }
    free(text);
    *lam_out = lam;
    *n_out = n_pts;
    return 0;
fail:
    free(text);
    free(lam);
    return -1;
}

/* what made this front, as "# key: value" lines of the file */
static int front_provenance(rs_front *f, const rs_frontplan_req *q) {
    /* the experts' paths, ';'-joined */
    char buf[FP_MAX_EXPERTS * (RS_PATH_MAX + 1) + 1], cpu[256], blas[256];
    snprintf(buf, sizeof buf, "%s (commit %s)", RS_VERSION, rs_provenance_commit());
    int rc = rs_front_set_meta(f, "rsoup", buf);
    rs_provenance_cpu_model(cpu, sizeof cpu);
    rs_provenance_blas_info(blas, sizeof blas);
    snprintf(buf, sizeof buf, "%s; %s; %ld threads (0: all cores)", cpu, blas, q->threads);
    rc |= rs_front_set_meta(f, "machine", buf);
    buf[0] = 0;
    for (int i = 0; i < q->n_experts; i++) {
        size_t k = strlen(buf);
        snprintf(buf + k, sizeof buf - k, "%s%s", i ? ";" : "", q->paths[i]);
    }
    rc |= rs_front_set_meta(f, "experts", buf);
    if (q->fisher)
        snprintf(buf, sizeof buf, "fisher (%s steps)", q->fisher_steps_arg);
    else
        snprintf(buf, sizeof buf, "linear");
    rc |= rs_front_set_meta(f, "mixing", buf);
    rc |= rs_front_set_meta(f, "episodes", q->episodes_arg);
    rc |= rs_front_set_meta(f, "seed", q->seed_arg);
    return rc ? -1 : 0;
}

/* The output, open for appending and locked (flock, held until it is
 * closed): one writer per front, so that two `front --resume` on one file
 * cannot both write the missing rows. A new file is made with its provenance
 * and header in one step (never an empty or headerless file); one left
 * without a header (by an older rsoup, or cut short) is a start that never
 * finished and starts over. An existing front is completed only with
 * --resume, and only when its provenance names the same experts in the same
 * order, mixing, episodes and seed (rows of other experts would mix in
 * silently) and its columns are the same. *fp_front gets the front to add
 * to: made's (new or restarted) or the file's rows (made freed). NULL (the
 * error set) on failure. */
static FILE *open_front(const rs_frontplan_req *q, rs_front *made, rs_front **fp_front) {
    const char *out = q->out;
    FILE *fp = NULL;
    int fresh = 0;
    for (int attempt = 0;; attempt++) {
        struct stat sb, sl;
        if (stat(out, &sb) == 0 && !S_ISREG(sb.st_mode)) {
            /* a FIFO would block the open below, a device would be written */
            rs_set_error("%s is not a regular file; choose another --out", out);
            return NULL;
        }
        if (stat(out, &sb) != 0) {
            int c = rs_front_create(out, made);
            if (c < 0) {
                rs_set_error("cannot write %s: %s", out, rs_last_error());
                return NULL;
            }
            fresh = c == 0;
        }
        fp = fopen(out, "a");
        if (!fp) {
            rs_set_error("cannot write %s: %s", out, strerror(errno));
            return NULL;
        }
        if (flock(fileno(fp), LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            fclose(fp);
            if (e == EWOULDBLOCK)
                rs_set_error("%s is in use by another rsoup process (a front writing it): wait "
                             "for it to finish, or stop it",
                             out);
            else
                rs_set_error("cannot lock %s: %s", out, strerror(e));
            return NULL;
        }
        /* the lock is on what the path names now, not on a file replaced
         * between the open and the lock */
        if (fstat(fileno(fp), &sl) == 0 && stat(out, &sb) == 0 && sl.st_dev == sb.st_dev &&
            sl.st_ino == sb.st_ino)
            break;
        fclose(fp);
        fp = NULL;
        if (attempt == 3) {
            rs_set_error("%s keeps being replaced by another process", out);
            return NULL;
        }
    }
    int head = rs_front_has_header(out);
    if (head < 0) {
        fclose(fp);
        return NULL;
    }
    if (!head) {
        /* nothing but provenance lines, or less: no row can be lost */
        if (!fresh)
            note(q, "%s holds no header (a start that was cut short): starting it over\n", out);
        if (ftruncate(fileno(fp), 0) != 0 || rs_front_write_head(fp, made) != 0) {
            rs_set_error("cannot write %s: %s", out, strerror(errno));
            fclose(fp);
            return NULL;
        }
        *fp_front = made;
        return fp;
    }
    if (!fresh && !q->resume) {
        rs_set_error("%s exists; complete it with --resume or choose another --out", out);
        fclose(fp);
        return NULL;
    }
    /* under the lock: the rows already there, whether this run made the
     * file a moment ago or an earlier one did */
    int tail = 0;
    rs_front *old = rs_front_load(out, &tail);
    if (!old) {
        rs_set_error("--resume: %s", rs_last_error());
        fclose(fp);
        return NULL;
    }
    if (rs_front_same_schema(old, made) != 0) {
        rs_set_error("--resume: %s was made with other experts or rewards: %s", out,
                     rs_last_error());
        goto refuse;
    }
    static const char *same[] = {"experts", "mixing", "episodes", "seed"};
    for (int i = 0; i < 4; i++) {
        const char *was = rs_front_meta(old, same[i]), *now = rs_front_meta(made, same[i]);
        if (!was) {
            rs_set_error("--resume: %s does not record its %s (no '# %s:' line): its rows may "
                         "come from other ones; choose another --out",
                         out, same[i], same[i]);
            goto refuse;
        }
        if (now && strcmp(was, now)) {
            rs_set_error("--resume: %s was made with %s '%s', not '%s'; rerun with the same "
                         "settings or choose another --out",
                         out, same[i], was, now);
            goto refuse;
        }
    }
    if (tail) {
        if (rs_front_drop_tail(out) < 0) goto refuse;
        note(q, "dropped a partial last row of %s\n", out);
    }
    rs_front_free(made);
    *fp_front = old;
    return fp;
refuse:
    rs_front_free(old);
    fclose(fp);
    return NULL;
}

/* the temporary file of a front killed while it saved */
static void sweep_tmp(const char *out) {
    char d[PATH_MAX];
    snprintf(d, sizeof d, "%s", out);
    char *slash = strrchr(d, '/');
    const char *base = slash ? slash + 1 : out;
    if (slash) *slash = 0;
    rs_lock_sweep_tmp(slash ? (d[0] ? d : "/") : ".", base);
}

/* the rows f still lacks: the experts (λ one-hot, named by their run folder
 * or file), the soups of lam, the baselines (by label) and the init */
typedef struct todo_rows {
    double *exp; /* n_exp one-hot λ */
    int n_exp;
    char exp_names[FP_MAX_EXPERTS][256];
    const char *exp_labels[FP_MAX_EXPERTS];
    double *soup; /* n_soup λ */
    int n_soup;
    const char **bl; /* n_bl baseline paths */
    int n_bl;
    int init;
} todo_rows;

static int plan_todo(const rs_frontplan_req *q, const rs_front *f, const double *lam, int n_pts,
                     todo_rows *t) {
    const int np = q->n_experts;
    t->exp = malloc(sizeof(double) * (size_t)np * np);
    t->soup = malloc(sizeof(double) * ((size_t)n_pts + 1) * np);
    t->bl = malloc(sizeof(char *) * ((size_t)q->n_baselines + 1));
    if (!t->exp || !t->soup || !t->bl) {
        rs_set_error("out of memory");
        return -1;
    }
    for (int i = 0; i < np; i++) {
        double *l = t->exp + (size_t)t->n_exp * np;
        for (int j = 0; j < np; j++)
            l[j] = i == j;
        if (rs_front_find_lambda(f, l, RS_KIND_BIT(RS_KIND_EXPERT)) >= 0) continue;
        char tmp[RS_PATH_BUF];
        snprintf(tmp, sizeof tmp, "%s", q->paths[i]);
        char *slash = strrchr(tmp, '/');
        if (slash && !strcmp(slash + 1, "policy.safetensors")) *slash = 0;
        slash = strrchr(tmp, '/');
        snprintf(t->exp_names[t->n_exp], sizeof t->exp_names[0], "%.255s", slash ? slash + 1 : tmp);
        t->exp_labels[t->n_exp] = t->exp_names[t->n_exp];
        t->n_exp++;
    }
    for (int k = 0; k < n_pts; k++)
        if (rs_front_find_lambda(f, lam + (size_t)k * np, RS_KIND_BIT(RS_KIND_SOUP)) < 0)
            memcpy(t->soup + (size_t)t->n_soup++ * np, lam + (size_t)k * np, sizeof(double) * np);
    for (int i = 0; i < q->n_baselines; i++) {
        const char *p = q->baselines[i];
        int seen = 0;
        for (int r = 0; r < f->n; r++)
            seen |= f->kind[r] == RS_KIND_BASELINE && strstr(p, f->label[r]);
        if (!seen) t->bl[t->n_bl++] = p;
    }
    t->init = q->init && rs_front_select(f, RS_KIND_BIT(RS_KIND_INIT), NULL) == 0;
    return 0;
}

/* evaluate the rows of t into f and fp, with the bar on q->log */
static int eval_todo(const rs_frontplan_req *q, const todo_rows *t, mjModel *model, rs_pool *pool,
                     rs_front *f, FILE *fp) {
    const int np = q->n_experts;
    int n_rows = t->n_exp + t->init + t->n_bl + t->n_soup;
    long total_eps = (long)n_rows * q->episodes;
    rs_progress prog;
    rs_progress_start(&prog, q->log, "front", (double)total_eps);
    prog.quiet = q->quiet || !q->log;
    if (!prog.quiet) {
        note(q,
             "%s, %d experts, %d rows to evaluate (%d experts, %d init, %d baselines, %d soups; "
             "%d done), %d episodes each, rewards:",
             q->spec->name, np, n_rows, t->n_exp, t->init, t->n_bl, t->n_soup, f->n, q->episodes);
        for (int k = 0; k < q->n_obj; k++)
            fprintf(q->log, " %s", q->obj_names[k]);
        fprintf(q->log, "\n");
    }
    rs_front_job job = {.n_experts = np,
                        .experts = q->experts,
                        .spec = q->spec,
                        .model = model,
                        .n_obj = q->n_obj,
                        .obj_w = q->obj_w,
                        .episodes = q->episodes,
                        .seed = q->seed,
                        .pool = pool,
                        .chunk = 2 * rs_pool_size(pool),
                        .progress = rs_progress_episodes,
                        .progress_ctx = &prog};
    int erc = 0;
    rs_st *fishers[FP_MAX_EXPERTS] = {0};
    if (q->fisher) {
        for (int i = 0; i < np && !erc; i++) {
            if (!prog.quiet) note(q, "Fisher of expert %d (%ld steps)\n", i, q->fisher_steps);
            erc = rs_fisher_diag(q->experts[i], q->spec, q->fisher_steps, 1000 + (uint64_t)i,
                                 &fishers[i]);
        }
        job.fishers = fishers;
    }
    const char *init = q->init;
    if (t->n_exp)
        erc = rs_front_eval_points(&job, t->exp, t->n_exp, t->exp_labels, RS_KIND_EXPERT, f, fp);
    if (!erc && t->init) erc = rs_front_eval_files(&job, &init, 1, RS_KIND_INIT, f, fp);
    if (!erc && t->n_bl) erc = rs_front_eval_files(&job, t->bl, t->n_bl, RS_KIND_BASELINE, f, fp);
    if (!erc && t->n_soup)
        erc = rs_front_eval_points(&job, t->soup, t->n_soup, NULL, RS_KIND_SOUP, f, fp);
    for (int i = 0; i < np; i++)
        rs_st_free(fishers[i]);
    if (erc) return -1;
    rs_progress_finish(&prog, (double)total_eps, "");
    return 0;
}

int rs_frontplan_run(const rs_frontplan_req *q, rs_frontplan_res *res) {
    memset(res, 0, sizeof *res);
    if (q->n_experts < 2 || q->n_experts > FP_MAX_EXPERTS) {
        rs_set_error("a front needs 2 to %d experts, not %d", FP_MAX_EXPERTS, q->n_experts);
        return -1;
    }
    const int np = q->n_experts;
    double *lam = NULL;
    int n_pts = 0, rc = -1;
    rs_front *f = NULL;
    FILE *fp = NULL;
    mjModel *model = NULL;
    rs_pool *pool = NULL;
    todo_rows *t = calloc(1, sizeof *t);
    if (!t) {
        rs_set_error("out of memory");
        return -1;
    }
    if (plan_lambdas(q, &lam, &n_pts) != 0) goto done;
    /* output file: new, or resumed */
    const char *tnames[RS_MAX_TERMS];
    for (int k = 0; k < q->spec->n_terms; k++)
        tnames[k] = q->spec->terms[k];
    f = rs_front_new(np, q->n_obj, q->obj_names, q->spec->n_terms, tnames);
    if (!f) {
        rs_set_error("out of memory");
        goto done;
    }
    if (front_provenance(f, q) != 0) goto done;
    if (q->obj_specs && rs_front_set_obj_specs(f, q->obj_specs) != 0) goto done;
    sweep_tmp(q->out);
    fp = open_front(q, f, &f);
    if (!fp) goto done;
    model = rs_model_load(q->spec, q->model);
    pool = model ? rs_pool_new((int)q->threads) : NULL;
    if (!pool) goto done;
    /* what is left to do */
    if (plan_todo(q, f, lam, n_pts, t) != 0) goto done;
    res->present = f->n;
    if (eval_todo(q, t, model, pool, f, fp) != 0) {
        res->eval_failed = 1;
        goto done;
    }
    res->written = f->n - res->present;
    res->front = f;
    f = NULL;
    rc = 0;
done:
    if (fp) fclose(fp);
    rs_front_free(f);
    rs_pool_free(pool);
    if (model) mj_deleteModel(model);
    if (t) {
        free(t->exp);
        free(t->soup);
        free(t->bl);
        free(t);
    }
    free(lam);
    return rc;
}

void rs_frontplan_res_free(rs_frontplan_res *res) {
    if (!res) return;
    rs_front_free(res->front);
    res->front = NULL;
}
