"""Stable-Baselines3's PPO (or A2C) policies as rsoup policies, so experts
trained with SB3 on rsoup's envs can be mixed into soups, evaluated and
viewed by rsoup (rsoup.from_sb3 is policy() here).

What carries over: the actor (mlp_extractor.policy_net's Linear layers and
action_net, one activation: Tanh or ReLU), the state-independent log-std,
and, given the VecNormalize the model trained behind, its observation
statistics and clip. The action head is rsoup's 'clip' (SB3 clips its
actions to the action box before stepping). The value net stays behind:
rsoup's policy files hold the actor alone.
"""
import numpy as np

from . import RsoupError, make_policy


def _actor_layers(pol):
    """(Linear layers, activation name) of an ActorCriticPolicy's actor"""
    import torch
    fe = type(getattr(pol, "pi_features_extractor", pol.features_extractor)).__name__
    if fe != "FlattenExtractor":
        raise RsoupError("from_sb3: the policy's features extractor is %s; rsoup's policies "
                         "take the observation as it is (FlattenExtractor)" % fe)
    if getattr(pol, "use_sde", False) or getattr(pol, "squash_output", False):
        raise RsoupError("from_sb3: gSDE and squashed outputs have no rsoup action head "
                         "(train with use_sde=False)")
    mods = list(pol.mlp_extractor.policy_net)
    lin = [m for m in mods if isinstance(m, torch.nn.Linear)]
    acts = {type(m).__name__ for m in mods if not isinstance(m, torch.nn.Linear)}
    names = {"Tanh": "tanh", "ReLU": "relu"}
    if len(acts) > 1 or not acts <= set(names) or len(mods) != 2 * len(lin):
        raise RsoupError("from_sb3: the actor must be Linear layers each followed by one "
                         "activation, Tanh or ReLU (got %s)" % [type(m).__name__ for m in mods])
    if not isinstance(getattr(pol, "action_net", None), torch.nn.Linear) or \
            not isinstance(getattr(pol, "log_std", None), torch.nn.Parameter):
        raise RsoupError("from_sb3: a Gaussian policy over a Box is needed (action_net and "
                         "log_std; got %s)" % type(pol).__name__)
    return lin + [pol.action_net], names[acts.pop()] if acts else "tanh"


def _rsoup_env(model):
    """the rsoup Env a model trains on (through SB3's DummyVecEnv), or None"""
    get = getattr(model, "get_env", None)
    venv = get() if get else None
    while venv is not None and not hasattr(venv, "envs"):
        venv = getattr(venv, "venv", None)  # VecNormalize and other wrappers
    if venv is None or not venv.envs:
        return None
    e = getattr(venv.envs[0], "unwrapped", venv.envs[0])
    return e if hasattr(e, "env_name") and hasattr(e, "reward_specs") else None


def policy(model, env=None, vec_normalize=None, metadata=None):
    """An rsoup Policy from an SB3 PPO/A2C model (or its policy): it acts as
    model.predict(obs, deterministic=True) does on the observations the
    model sees. env: the rsoup env name (default: read from the model's
    rsoup env). vec_normalize: the VecNormalize the model trained behind
    (default: found around the model's env, else none); its epsilon must be
    rsoup's (1e-8, SB3's default). save_policy(path, policy) writes it."""
    pol = getattr(model, "policy", model)
    layers, activation = _actor_layers(pol)
    renv = _rsoup_env(model)
    if env is None:
        if renv is None:
            raise RsoupError("from_sb3: give env= (the model's env is not an rsoup env)")
        env = renv.env_name
    if vec_normalize is None and hasattr(model, "get_vec_normalize_env"):
        vec_normalize = model.get_vec_normalize_env()
    from .envs import env_info
    info = env_info(env)
    norm = {"obs_clip": 0.0}
    if vec_normalize is not None and vec_normalize.norm_obs:
        if vec_normalize.epsilon != 1e-8:
            raise RsoupError("from_sb3: VecNormalize's epsilon is %g; rsoup's normaliser adds "
                             "1e-8 to the variance" % vec_normalize.epsilon)
        rms = vec_normalize.obs_rms
        norm = {"obs_mean": np.asarray(rms.mean, np.float64),
                "obs_var": np.asarray(rms.var, np.float64), "obs_count": float(rms.count),
                "obs_clip": float(vec_normalize.clip_obs)}
    meta = {"trainer": "stable-baselines3 %s" % type(model).__name__}
    if hasattr(model, "num_timesteps"):
        meta["steps"] = int(model.num_timesteps)
    if getattr(model, "seed", None) is not None:
        meta["seed"] = int(model.seed)
    if renv is not None and renv.env_name == env and len(renv.reward_specs) == 1:
        meta["reward"] = renv.reward_specs[0]
    meta.update(metadata or {})
    return make_policy("ppo", [m.weight.detach().cpu().numpy().astype(np.float32) for m in layers],
                       [m.bias.detach().cpu().numpy().astype(np.float32) for m in layers],
                       activation, env=env, log_std=pol.log_std.detach().cpu().numpy()
                       .astype(np.float32), act_bound=info["act_bound"], metadata=meta, **norm)
