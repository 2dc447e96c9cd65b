// 删除 a vehicle or pet (archive:manage): no confirm dialog (the audit log keeps what was removed);
// the API's error in a toast, since the row has no form to show it under.
import { App, Button } from "antd";
import { useEffect } from "react";
import { check, request } from "../../api/client";
import { L } from "../../i18n";
import { useAction } from "../../ui/action";
import { RemovePetDoc, RemoveVehicleDoc } from "./belongingsQueries";

export function RemoveButton({ what, id, onRemoved }: { what: "vehicle" | "pet"; id: string; onRemoved: () => void }) {
  const { message } = App.useApp();
  const remove = useAction(`remove:${what}`, async (key) => {
    if (what === "vehicle") check((await request(RemoveVehicleDoc, { vehicleId: id, key })).removeVehicle);
    else check((await request(RemovePetDoc, { petId: id, key })).removePet);
    onRemoved();
  });
  useEffect(() => {
    if (remove.error) void message.error(`${remove.error.message} ${remove.error.code}`);
  }, [remove.error, message]);
  return (
    <Button size="small" type="link" loading={remove.busy} data-testid={`remove-${what}`}
            onClick={() => void remove.run()}>
      <L zh="删除" en="Remove" />
    </Button>
  );
}
