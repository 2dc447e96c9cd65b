// Who is signed in: the viewer (roles and permissions) decides the menus; the API stays the authority.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from "react";
import { request } from "./api/client";
import { closeLive } from "./api/live";
import { onSessionChange, accessToken, signedIn, signOut } from "./api/session";
import { graphql } from "./gql";
import type { Permission, ViewerQuery } from "./gql/graphql";

export const ViewerDoc = graphql(`
  query Viewer {
    viewer {
      kind
      permissions
      allProjects
      user { id username displayName }
      roles { role roleLabel permissions project { id name code } }
    }
  }
`);

export type Viewer = ViewerQuery["viewer"];

interface AuthState {
  viewer: Viewer | null;
  checking: boolean;
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

const AuthContext = createContext<AuthState>({ viewer: null, checking: true, reload: async () => undefined, signOut: async () => undefined });

export function AuthProvider({ children }: { children: ReactNode }) {
  const [viewer, setViewer] = useState<Viewer | null>(null);
  const [checking, setChecking] = useState(true);

  const reload = useCallback(async () => {
    if (!(await signedIn())) {
      setViewer(null);
      setChecking(false);
      return;
    }
    try {
      setViewer((await request(ViewerDoc, {})).viewer);
    } catch {
      setViewer(null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    void reload();
    return onSessionChange(() => {
      if (!accessToken()) {
        closeLive();
        setViewer(null);
      }
    });
  }, [reload]);

  const out = useCallback(async () => {
    await signOut();
    closeLive();
    setViewer(null);
  }, []);

  return <AuthContext.Provider value={{ viewer, checking, reload, signOut: out }}>{children}</AuthContext.Provider>;
}

export function useAuth() {
  return useContext(AuthContext);
}

export type Role = Viewer["roles"][number]["role"];

export function hasRole(viewer: Viewer | null, ...roles: Role[]): boolean {
  return !!viewer?.roles.some((g) => roles.includes(g.role));
}

/** The projects the viewer works in, from its project roles (company-wide roles see all). */
export function viewerProjects(viewer: Viewer | null): { id: string; name: string; code: string }[] {
  const seen = new Map<string, { id: string; name: string; code: string }>();
  viewer?.roles.forEach((g) => g.project && seen.set(g.project.id, g.project));
  return [...seen.values()];
}

/** Held company-wide or through a role in any project: whether a page or tab has anything to offer. */
export function holdsAnywhere(viewer: Viewer | null, permission: Permission): boolean {
  return !!viewer && (viewer.permissions.includes(permission) || viewer.roles.some((g) => g.permissions.includes(permission)));
}

/** Whether the viewer holds a permission on a project: company-wide, or through a role there.
 * It only decides what is offered; the API checks again. */
export function can(viewer: Viewer | null, permission: Permission, projectId?: string | null): boolean {
  if (!viewer) return false;
  if (viewer.permissions.includes(permission)) return true;
  return viewer.roles.some((g) => (!g.project || g.project.id === projectId) && g.permissions.includes(permission));
}
