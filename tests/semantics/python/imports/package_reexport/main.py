import pkg
from pkg import process

process(" a ")
pkg.utils.clean(" b ")
pkg.process(" c ")
