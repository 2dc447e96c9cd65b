// A project's name from its id, asked once per tab (alerts and events carry only the id).
import { useEffect, useState } from "react";
import { request } from "../api/client";
import { graphql } from "../gql";

const ProjectNameDoc = graphql(`
  query ProjectName($id: ID!) { project(id: $id) { id name } }
`);

const names = new Map<string, Promise<string>>();

function nameOf(id: string): Promise<string> {
  let found = names.get(id);
  if (!found) {
    found = request(ProjectNameDoc, { id }).then((r) => r.project?.name ?? "—", () => {
      names.delete(id); // asked again next time
      return "";
    });
    names.set(id, found);
  }
  return found;
}

export function ProjectName({ id }: { id: string }) {
  const [name, setName] = useState("");
  useEffect(() => {
    let live = true;
    void nameOf(id).then((n) => live && setName(n));
    return () => {
      live = false;
    };
  }, [id]);
  return <span>{name}</span>;
}
