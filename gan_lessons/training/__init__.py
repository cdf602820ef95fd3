"""Training: the GAN trainer and the trainers that share its skeleton.

gan            the GAN trainer: jit(scan(step)) over K steps, seeds with vmap (07)
image_gan      convolutional GANs on images, data-parallel over devices (08)
vae            variational autoencoders: ELBO, IWAE (09)
discriminator  a 1-D discriminator trained against fixed densities (05)
checkpoint     atomic, hashed checkpoints (msgpack, never pickle)
seeds          seeds side by side scored over time, PacGAN's Table 1, 1-D snapshots (07)
"""

from gan_lessons.training.gan import (  # noqa: F401
    ARCHITECTURES,
    FitResult,
    GANConfig,
    GANState,
    GANTrainer,
    LOSS_NAMES,
    METRIC_NAMES,
    PACGAN_GRID,
    PACGAN_RING,
    first_nonfinite_step,
    make_trainer,
    seed_sharding,
)

from gan_lessons.training.image_gan import (  # noqa: F401
    IMAGE_DATASETS,
    ImageGANConfig,
    ImageGANTrainer,
    make_image_trainer,
)

from gan_lessons.training.vae import (  # noqa: F401
    DATA_NAMES,
    LIKELIHOODS,
    SIGMA_MODES,
    VAE,
    VAEConfig,
    VAEState,
    VAETrainer,
    elbo,
    iwae_bound,
    kl_to_standard_normal,
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
    "CoverageSummary",
    "DATA_NAMES",
    "DEFAULT_STEPS",
    "DiscriminatorConfig",
    "DiscriminatorFit",
    "DiscriminatorState",
    "DiscriminatorTrainer",
    "EVAL_SAMPLES",
    "FORMAT_VERSION",
    "FitResult",
    "GANConfig",
    "GANState",
    "GANTrainer",
    "IMAGE_DATASETS",
    "ImageGANConfig",
    "ImageGANTrainer",
    "LIKELIHOODS",
    "LOSS_NAMES",
    "MAGIC",
    "METRIC_NAMES",
    "PACGAN_GRID",
    "PACGAN_RING",
    "PACGAN_STEPS",
    "PACGAN_TABLE1",
    "PACGAN_TRIALS",
    "PaperRow",
    "SIGMA_MODES",
    "SeedRun",
    "Snapshot1D",
    "Table1",
    "VAE",
    "VAEConfig",
    "VAEState",
    "VAETrainer",
    "elbo",
    "first_nonfinite_step",
    "iwae_bound",
    "kl_to_standard_normal",
    "load_checkpoint",
    "make_discriminator_trainer",
    "make_image_trainer",
    "make_trainer",
    "make_vae_trainer",
    "save_checkpoint",
    "seed_sharding",
    "seed_state",
    "snapshots_1d",
    "summarise",
    "train_discriminator",
    "train_seeds",
]
