"""Training: one GAN trainer built from parts, the VAE and discriminator trainers, checkpoints.

gan            the GAN trainer: jit(scan(step)) over K steps, seeds with vmap (07)
gan_config     GANConfig, ImageGANConfig and the optimiser settings they share
gan_parts      the parts a GAN trainer is built from: data source, networks, losses, optimisers
gan_step       the training step as pure functions: Algorithm 1 of Goodfellow et al. (2014)
image_gan      convolutional GANs on images, data-parallel over devices (08)
vae            variational autoencoders: ELBO, IWAE (09); the model itself in vae_model
discriminator  a 1-D discriminator trained against fixed densities (05)
checkpoint     atomic, hashed checkpoints of every trainer's state (msgpack, never pickle)
loop           the one host loop: compiled chunks, progress, a stop at divergence
seeds          seeds side by side scored over time, PacGAN's Table 1, 1-D snapshots (07)

Every trainer shares one skeleton (the private ``_kit`` module): a frozen config whose fields
declare their checks, a state NamedTuple, ``init``/``train`` compiled once with the state
donated, the donation guard, ``precompile``, and ``fit`` over :func:`loop.run_chunks`. Step t
of every trainer draws its randomness from ``jax.random.fold_in(key, t)``, t the state's step.

The GAN trainer is one class; :func:`make_trainer` and :func:`make_image_trainer` give it
different parts (toy mixtures sampled in the step and MLPs, or an array of images and
convolutional networks with a data-parallel placement).

Where the next pieces go
------------------------
Each of these is one part or one function of the step, and none is written yet (packing,
PacGAN's m samples judged jointly, is written: ``GANConfig.packing``, ``GANStep.pack`` and
``GANStep.generate_packed``):

* Loss kinds by name (Wasserstein, hinge, least squares): :class:`gan_parts.LossSpec`, whose
  ``d_loss``/``g_loss`` map logits (critic values) to the two losses; the name comes from the
  config's ``loss`` field.
* Penalty terms on the discriminator's loss (gradient penalty, R1): ``GANStep.d_update``'s
  ``loss_fn``, which sees D's parameters and the real and fake batches; the penalty's weight
  belongs in the loss spec.
* The update scheme (alternating, as now, or simultaneous): ``GANStep.train_step``, the one
  place that orders the D and G updates.
* Per-player optimiser settings (separate Adam betas, two time-scale learning rates):
  :func:`gan_parts.adam_players` and the fields of :class:`gan_config.AdversarialConfig`.
* A moving average of the generator: one more field of :class:`GANState`, updated at the end
  of ``GANStep.g_update``; ``GANStep.generate_fn`` would read it.
* An unrolled discriminator: ``GANStep.g_update``'s ``loss_fn``, which would take k
  differentiable D steps (``d_update`` itself) before scoring G.
* Class-conditional networks: the two builders (networks with a label input) and the data
  source (``real_batch`` returning examples with their labels).
"""

from gan_lessons.training.gan import (  # noqa: F401
    FitResult,
    GANTrainer,
    LOSS_NAMES,
    first_nonfinite_step,
    make_trainer,
    seed_sharding,
)

from gan_lessons.training.gan_config import (  # noqa: F401
    ARCHITECTURES,
    AdversarialConfig,
    GANConfig,
    IMAGE_DATASETS,
    ImageGANConfig,
    PACGAN_GRID,
    PACGAN_RING,
)

from gan_lessons.training.gan_parts import (  # noqa: F401
    ArrayData,
    Builder,
    LossSpec,
    Placement,
    SampledData,
    adam_players,
    conv_networks,
    mixture_data,
    toy_networks,
)

from gan_lessons.training.gan_step import (  # noqa: F401
    DRAW_BLOCK_BYTES, GANState, GANStep, METRIC_NAMES, StepDraws)

from gan_lessons.training.image_gan import ImageGANTrainer, make_image_trainer  # noqa: F401

from gan_lessons.training.vae_model import (  # noqa: F401
    LIKELIHOODS,
    SIGMA_MODES,
    VAE,
    elbo,
    iwae_bound,
    kl_to_standard_normal,
    sampled_log_px,
)

from gan_lessons.training.vae import (  # noqa: F401
    DATA_NAMES,
    VAEConfig,
    VAEState,
    VAETrainer,
    make_vae_trainer,
)

from gan_lessons.training.discriminator import (  # noqa: F401
    DEFAULT_STEPS,
    DiscriminatorConfig,
    DiscriminatorFit,
    DiscriminatorState,
    DiscriminatorTrainer,
    make_discriminator_trainer,
    train_discriminator,
)

from gan_lessons.training.checkpoint import (  # noqa: F401
    FORMAT_VERSION,
    MAGIC,
    load_checkpoint,
    save_checkpoint,
)

from gan_lessons.training.loop import Chunk, run_chunks  # noqa: F401

from gan_lessons.training.seeds import (  # noqa: F401
    CoverageSummary,
    EVAL_SAMPLES,
    PACGAN_STEPS,
    PACGAN_TABLE1,
    PACGAN_TRIALS,
    PaperRow,
    SeedRun,
    Snapshot1D,
    Table1,
    seed_state,
    snapshots_1d,
    summarise,
    train_seeds,
)

__all__ = [
    "ARCHITECTURES",
    "AdversarialConfig",
    "ArrayData",
    "Builder",
    "Chunk",
    "CoverageSummary",
    "DATA_NAMES",
    "DEFAULT_STEPS",
    "DRAW_BLOCK_BYTES",
    "DiscriminatorConfig",
    "DiscriminatorFit",
    "DiscriminatorState",
    "DiscriminatorTrainer",
    "EVAL_SAMPLES",
    "FORMAT_VERSION",
    "FitResult",
    "GANConfig",
    "GANState",
    "GANStep",
    "GANTrainer",
    "IMAGE_DATASETS",
    "ImageGANConfig",
    "ImageGANTrainer",
    "LIKELIHOODS",
    "LOSS_NAMES",
    "LossSpec",
    "MAGIC",
    "METRIC_NAMES",
    "PACGAN_GRID",
    "PACGAN_RING",
    "PACGAN_STEPS",
    "PACGAN_TABLE1",
    "PACGAN_TRIALS",
    "PaperRow",
    "Placement",
    "SIGMA_MODES",
    "SampledData",
    "SeedRun",
    "StepDraws",
    "Snapshot1D",
    "Table1",
    "VAE",
    "VAEConfig",
    "VAEState",
    "VAETrainer",
    "adam_players",
    "conv_networks",
    "elbo",
    "first_nonfinite_step",
    "iwae_bound",
    "kl_to_standard_normal",
    "load_checkpoint",
    "make_discriminator_trainer",
    "make_image_trainer",
    "make_trainer",
    "make_vae_trainer",
    "mixture_data",
    "run_chunks",
    "sampled_log_px",
    "save_checkpoint",
    "seed_sharding",
    "seed_state",
    "snapshots_1d",
    "summarise",
    "toy_networks",
    "train_discriminator",
    "train_seeds",
]
