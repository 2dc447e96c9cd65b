// Imported first by main.tsx, so this runs before the rest of the entry chunk is evaluated: the
// session refresh starts at once (AuthProvider joins it), and on the HQ board its first queries go
// out as soon as there is a token, beside the viewer query instead of after the page renders.
import { signedIn } from "./api/session";
import { primeBoard } from "./pages/hq/prime";

const session = signedIn();
if (window.location.pathname === "/hq") void session.then((ok) => ok && primeBoard(window.location.search));
