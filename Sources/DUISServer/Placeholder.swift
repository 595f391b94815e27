import Hummingbird
import AsyncHTTPClient
import DUIS
