"""Explorer panels: the interactive figures of the lessons (ipywidgets 8).

Each panel is an object with a ``widget`` attribute; displaying the panel
shows the widget in a live notebook and a PNG of its figure elsewhere.
"""

from gan_lessons.widgets.base import FigurePanel
from gan_lessons.widgets.check import WidgetCheck
from gan_lessons.widgets.classification import BayesExplorer
from gan_lessons.widgets.discriminator import GeneratorGradientExplorer, OptimalDiscriminatorExplorer
from gan_lessons.widgets.divergences import DivergenceExplorer
from gan_lessons.widgets.dynamics import DynamicsExplorer
from gan_lessons.widgets.fitting import FitExplorer
from gan_lessons.widgets.gan_lab import GANLabExplorer
from gan_lessons.widgets.image_gan import ImageGANExplorer
from gan_lessons.widgets.games import ZeroSumExplorer
from gan_lessons.widgets.taste import TastePanel

__all__ = ["BayesExplorer", "DivergenceExplorer", "DynamicsExplorer", "FigurePanel", "FitExplorer",
           "GANLabExplorer", "GeneratorGradientExplorer", "ImageGANExplorer", "OptimalDiscriminatorExplorer", "TastePanel", "WidgetCheck",
           "ZeroSumExplorer"]
