"""extract: keep a crypto-regulation knowledge base current from the news.

articles → mentions → attributed facts → proposals → review → merge.
"""

__version__ = "0.1.0"
